
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select deferred_transaction_count
from "acorn"."marts"."fct_payouts"
where deferred_transaction_count is null



  
  
      
    ) dbt_internal_test