
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        buyer_key_kind as value_field,
        count(*) as n_records

    from "acorn"."intermediate"."int_return_risk_features"
    group by buyer_key_kind

)

select *
from all_values
where value_field not in (
    'buyer_email','postal_area','order'
)



  
  
      
    ) dbt_internal_test