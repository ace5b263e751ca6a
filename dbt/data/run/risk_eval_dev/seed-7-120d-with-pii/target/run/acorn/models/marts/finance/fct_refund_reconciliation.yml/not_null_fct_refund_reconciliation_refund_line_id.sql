
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select refund_line_id
from "acorn"."marts"."fct_refund_reconciliation"
where refund_line_id is null



  
  
      
    ) dbt_internal_test