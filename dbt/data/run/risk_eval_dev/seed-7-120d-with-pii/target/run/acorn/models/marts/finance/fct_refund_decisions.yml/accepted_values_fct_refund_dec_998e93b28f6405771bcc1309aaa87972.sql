
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        policy_clause as value_field,
        count(*) as n_records

    from "acorn"."marts"."fct_refund_decisions"
    group by policy_clause

)

select *
from all_values
where value_field not in (
    'statutory_withdrawal','return_window','holiday_extension','outside_return_window','delivery_date_unknown','no_return_window_rule'
)



  
  
      
    ) dbt_internal_test