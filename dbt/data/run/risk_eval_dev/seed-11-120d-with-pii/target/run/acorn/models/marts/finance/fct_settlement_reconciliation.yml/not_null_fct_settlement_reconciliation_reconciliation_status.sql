
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select reconciliation_status
from "acorn"."marts"."fct_settlement_reconciliation"
where reconciliation_status is null



  
  
      
    ) dbt_internal_test