
    
    

with all_values as (

    select
        alert_type as value_field,
        count(*) as n_records

    from "acorn"."marts"."fct_dispute_alerts"
    group by alert_type

)

select *
from all_values
where value_field not in (
    'mfn_return_not_refunded','a_to_z_risk','refund_outside_policy'
)


