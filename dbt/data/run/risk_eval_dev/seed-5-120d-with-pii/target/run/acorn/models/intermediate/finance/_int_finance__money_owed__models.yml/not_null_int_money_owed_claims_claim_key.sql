
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select claim_key
from "acorn"."intermediate"."int_money_owed_claims"
where claim_key is null



  
  
      
    ) dbt_internal_test