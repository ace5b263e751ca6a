
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select claim_type
from "acorn"."seeds"."claim_types"
where claim_type is null



  
  
      
    ) dbt_internal_test