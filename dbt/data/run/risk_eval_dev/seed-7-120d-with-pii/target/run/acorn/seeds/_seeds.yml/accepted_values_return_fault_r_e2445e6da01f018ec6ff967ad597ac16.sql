
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        fault as value_field,
        count(*) as n_records

    from "acorn"."seeds"."return_fault_rules"
    group by fault

)

select *
from all_values
where value_field not in (
    'customer','amazon','carrier','seller','unknown'
)



  
  
      
    ) dbt_internal_test