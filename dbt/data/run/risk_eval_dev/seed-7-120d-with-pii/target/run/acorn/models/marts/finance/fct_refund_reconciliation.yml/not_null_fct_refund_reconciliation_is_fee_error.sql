
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_fee_error
from "acorn"."marts"."fct_refund_reconciliation"
where is_fee_error is null



  
  
      
    ) dbt_internal_test