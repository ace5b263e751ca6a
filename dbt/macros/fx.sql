{#-
    Reporting-currency conversion, written once. A row converts at the rate
    Amazon applied to its payout (int_financial_event_groups_fx_applied) when
    its financial event group converted into the reporting currency, else at
    the fx_rates seed rate in force on its date (int_fx_rates), flagged stale
    when that rate is older than var fx_rate_max_age_days. Join pattern:

        left join int_financial_event_groups_fx_applied as applied
            on x.financial_event_group_id = applied.financial_event_group_id
        left join int_fx_rates as seed_rates
            on x.currency_code = seed_rates.from_currency_code
            and x.<date> >= seed_rates.valid_from
            and (seed_rates.valid_to is null or x.<date> < seed_rates.valid_to)
-#}

{#- fx_rate, fx_rate_source, fx_rate_date, is_fx_rate_stale. -#}
{% macro fx_rate_columns(applied_rate, seed_rate, seed_valid_from, rate_date) -%}
    cast(coalesce({{ applied_rate }}, {{ seed_rate }}) as decimal(20, 8)) as fx_rate,
    case
        when {{ applied_rate }} is not null then 'amazon_applied'
        when {{ seed_rate }} is not null then 'fx_rates_seed'
    end as fx_rate_source,
    case when {{ applied_rate }} is null then {{ seed_valid_from }} end as fx_rate_date,
    coalesce(
        {{ applied_rate }} is null
        and (
            {{ seed_rate }} is null
            or {{ dbt.datediff(seed_valid_from, rate_date, 'day') }}
            > {{ var('fx_rate_max_age_days', 7) }}
        ),
        false
    ) as is_fx_rate_stale
{%- endmacro %}

{#- An amount times a rate, rounded half away from zero to the reporting currency's minor unit. -#}
{% macro to_reporting_amount(amount, fx_rate, exponent) -%}
    cast({{ round_to_minor_units(amount ~ ' * ' ~ fx_rate, exponent) }} as decimal(20, 4))
{%- endmacro %}
