{#-
    STAND-IN (wt-decisions) for the reporting-currency macros announced for
    main: drop this file when main's to_reporting_amount / fx_rate_columns land.
-#}

{#- An amount converted at fx_rate, rounded to the reporting currency's minor unit. -#}
{% macro to_reporting_amount(amount, fx_rate, exponent) -%}
    cast({{ round_to_minor_units('(' ~ amount ~ ') * (' ~ fx_rate ~ ')', exponent) }}
        as decimal(20, 4))
{%- endmacro %}

{#- fx_rate, fx_rate_source, fx_rate_date, is_fx_rate_stale (seed rate older than 31 days). -#}
{% macro fx_rate_columns(applied_rate_expr, seed_rate_expr, seed_valid_from_expr, rate_date_expr) -%}
    cast(coalesce({{ applied_rate_expr }}, {{ seed_rate_expr }}) as decimal(20, 8)) as fx_rate,
    case
        when {{ applied_rate_expr }} is not null then 'amazon_applied'
        when {{ seed_rate_expr }} is not null then 'fx_rates_seed'
    end as fx_rate_source,
    case
        when {{ applied_rate_expr }} is not null then {{ rate_date_expr }}
        else {{ seed_valid_from_expr }}
    end as fx_rate_date,
    coalesce(
        {{ applied_rate_expr }} is null
        and {{ dbt.datediff(seed_valid_from_expr, rate_date_expr, 'day') }} > 31,
        false
    ) as is_fx_rate_stale
{%- endmacro %}
