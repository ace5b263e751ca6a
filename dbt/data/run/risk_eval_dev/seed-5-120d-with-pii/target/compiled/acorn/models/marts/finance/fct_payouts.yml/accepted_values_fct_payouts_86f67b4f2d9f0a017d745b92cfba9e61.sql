
    
    

with all_values as (

    select
        fx_rate_source as value_field,
        count(*) as n_records

    from "acorn"."marts"."fct_payouts"
    group by fx_rate_source

)

select *
from all_values
where value_field not in (
    'amazon_applied','fx_rates_seed'
)


