
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select refunded_tax_amount
from "acorn"."marts"."fct_refund_tax_documents"
where refunded_tax_amount is null



  
  
      
    ) dbt_internal_test