with

fx_rates as (
    select * from "acorn"."seeds"."fx_rates"
    where to_currency_code = 'CNY'
),

currency_minor_units as (
    select * from "acorn"."seeds"."currency_minor_units"
),

ranged as (
    select
        fx_rates.fx_rate_id,
        fx_rates.from_currency_code,
        fx_rates.to_currency_code as reporting_currency_code,
        cast(fx_rates.fx_rate as decimal(20, 8)) as fx_rate,
        cast(fx_rates.valid_from as date) as valid_from,
        cast(lead(fx_rates.valid_from) over (
            partition by fx_rates.from_currency_code order by fx_rates.valid_from
        ) as date) as valid_to,
        currency_minor_units.minor_unit_exponent as reporting_minor_unit_exponent
    from fx_rates
    left join currency_minor_units
        on fx_rates.to_currency_code = currency_minor_units.currency_code
)

select * from ranged