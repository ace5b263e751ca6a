
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_transactions_mismatch
from "acorn"."marts"."fct_settlement_reconciliation"
where is_transactions_mismatch is null



  
  
      
    ) dbt_internal_test