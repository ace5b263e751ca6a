
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select unclassified_amount
from "acorn"."marts"."fct_refund_reconciliation"
where unclassified_amount is null



  
  
      
    ) dbt_internal_test