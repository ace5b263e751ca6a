
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select payout_cycle_id
from "acorn"."marts"."fct_settlement_reconciliation"
where payout_cycle_id is null



  
  
      
    ) dbt_internal_test