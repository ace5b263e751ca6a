
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select document_type
from "acorn"."marts"."fct_refund_tax_documents"
where document_type is null



  
  
      
    ) dbt_internal_test