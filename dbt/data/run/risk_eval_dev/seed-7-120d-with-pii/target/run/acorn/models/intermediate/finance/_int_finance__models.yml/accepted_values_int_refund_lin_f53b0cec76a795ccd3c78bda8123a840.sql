
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        return_fault as value_field,
        count(*) as n_records

    from "acorn"."intermediate"."int_refund_lines_joined_to_returns"
    group by return_fault

)

select *
from all_values
where value_field not in (
    'customer','amazon','carrier','seller','unknown'
)



  
  
      
    ) dbt_internal_test