
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_transfer_mismatch
from "acorn"."marts"."fct_settlement_reconciliation"
where is_transfer_mismatch is null



  
  
      
    ) dbt_internal_test