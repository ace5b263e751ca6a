
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_paid_in_transfer
from "acorn"."marts"."fct_refund_reconciliation"
where is_paid_in_transfer is null



  
  
      
    ) dbt_internal_test