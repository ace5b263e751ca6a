
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    seller_tax_registration_id as unique_field,
    count(*) as n_records

from "acorn"."seeds"."seller_tax_registrations"
where seller_tax_registration_id is not null
group by seller_tax_registration_id
having count(*) > 1



  
  
      
    ) dbt_internal_test