
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select seller_tax_registration_id
from "acorn"."seeds"."seller_tax_registrations"
where seller_tax_registration_id is null



  
  
      
    ) dbt_internal_test