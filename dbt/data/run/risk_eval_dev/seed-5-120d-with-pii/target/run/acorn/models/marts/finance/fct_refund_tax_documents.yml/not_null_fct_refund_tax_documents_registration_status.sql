
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select registration_status
from "acorn"."marts"."fct_refund_tax_documents"
where registration_status is null



  
  
      
    ) dbt_internal_test