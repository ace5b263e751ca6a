
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        registration_status as value_field,
        count(*) as n_records

    from "acorn"."marts"."fct_refund_tax_documents"
    group by registration_status

)

select *
from all_values
where value_field not in (
    'valid','missing','expired','not_yet_valid'
)



  
  
      
    ) dbt_internal_test