
    
    

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


