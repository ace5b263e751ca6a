
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select registration_number
from "acorn"."seeds"."seller_tax_registrations"
where registration_number is null



  
  
      
    ) dbt_internal_test