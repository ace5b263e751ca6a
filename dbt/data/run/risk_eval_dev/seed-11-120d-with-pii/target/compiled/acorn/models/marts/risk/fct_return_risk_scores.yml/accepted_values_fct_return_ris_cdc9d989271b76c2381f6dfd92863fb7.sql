
    
    

with all_values as (

    select
        fulfillment_channel as value_field,
        count(*) as n_records

    from "acorn"."marts"."fct_return_risk_scores"
    group by fulfillment_channel

)

select *
from all_values
where value_field not in (
    'AFN','MFN'
)


