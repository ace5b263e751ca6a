
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        fulfillment_channel as value_field,
        count(*) as n_records

    from "acorn"."intermediate"."int_risk_returns"
    group by fulfillment_channel

)

select *
from all_values
where value_field not in (
    'AFN','MFN'
)



  
  
      
    ) dbt_internal_test