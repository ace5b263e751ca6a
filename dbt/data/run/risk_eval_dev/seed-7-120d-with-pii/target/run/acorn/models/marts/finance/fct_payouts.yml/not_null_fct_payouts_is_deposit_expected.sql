
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_deposit_expected
from "acorn"."marts"."fct_payouts"
where is_deposit_expected is null



  
  
      
    ) dbt_internal_test