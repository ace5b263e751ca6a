
    
    

with all_values as (

    select
        decision as value_field,
        count(*) as n_records

    from "acorn"."marts"."fct_refund_decisions"
    group by decision

)

select *
from all_values
where value_field not in (
    'auto_approve','manual_review'
)


