
    
    

with all_values as (

    select
        shape as value_field,
        count(*) as n_records

    from "acorn"."seeds"."breakdown_leaf_paths"
    group by shape

)

select *
from all_values
where value_field not in (
    'simplified','realistic','both'
)


