{#- STAND-IN (wt-decisions) for main's int_fx_rates: drop when it lands.
    One row per from_currency_code x valid_from into var('reporting_currency'). -#}
with

fx_rates as (
    select * from {{ ref('fx_rates') }}
    where to_currency_code = '{{ var("reporting_currency") }}'
),

currency_minor_units as (
    select * from {{ ref('currency_minor_units') }}
),

dated as (
    select
        fx_rates.from_currency_code,
        fx_rates.to_currency_code as reporting_currency_code,
        currency_minor_units.minor_unit_exponent as reporting_minor_unit_exponent,
        fx_rates.fx_rate,
        fx_rates.valid_from,
        lead(fx_rates.valid_from) over (
            partition by fx_rates.from_currency_code order by fx_rates.valid_from
        ) as valid_to
    from fx_rates
    left join currency_minor_units
        on fx_rates.to_currency_code = currency_minor_units.currency_code
)

select * from dated
