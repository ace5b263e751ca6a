
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select return_fault
from "acorn"."marts"."fct_refund_reconciliation"
where return_fault is null



  
  
      
    ) dbt_internal_test