
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select deferred_amount
from "acorn"."marts"."fct_payouts"
where deferred_amount is null



  
  
      
    ) dbt_internal_test