{#- Engine-specific SQL lives here, behind adapter.dispatch (ENVIRONMENT.md). -#}

{#- UTC instant -> calendar date in an IANA time zone (the marketplace-local date). -#}
{% macro to_local_date(timestamp_utc, time_zone) -%}
    {{ return(adapter.dispatch('to_local_date', 'acorn')(timestamp_utc, time_zone)) }}
{%- endmacro %}

{% macro duckdb__to_local_date(timestamp_utc, time_zone) -%}
    cast(timezone({{ time_zone }}, {{ timestamp_utc }}) as date)
{%- endmacro %}

{% macro default__to_local_date(timestamp_utc, time_zone) -%}
    to_date(from_utc_timestamp({{ timestamp_utc }}, {{ time_zone }}))
{%- endmacro %}

{#- A cast that yields null instead of failing (dbt.safe_cast is a plain cast on DuckDB). -#}
{% macro try_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast', 'acorn')(expression, data_type)) }}
{%- endmacro %}

{% macro duckdb__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro default__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#-
    Round a money amount half away from zero to its currency's minor unit.
    `exponent` may be a column: DuckDB needs a constant precision, hence the case;
    every branch is cast to one scale (DuckDB types a case by its first branch).
-#}
{% macro round_to_minor_units(amount, exponent) -%}
    case {{ exponent }}
        when 0 then cast(round({{ amount }}, 0) as decimal(38, 4))
        when 1 then cast(round({{ amount }}, 1) as decimal(38, 4))
        when 2 then cast(round({{ amount }}, 2) as decimal(38, 4))
        when 3 then cast(round({{ amount }}, 3) as decimal(38, 4))
        else cast(round({{ amount }}, 4) as decimal(38, 4))
    end
{%- endmacro %}

{#- One minor unit of a currency (0.01 for EUR, 1 for JPY) as a decimal. -#}
{% macro minor_unit(exponent) -%}
    case {{ exponent }}
        when 0 then cast(1 as decimal(20, 4))
        when 1 then cast(0.1 as decimal(20, 4))
        when 2 then cast(0.01 as decimal(20, 4))
        when 3 then cast(0.001 as decimal(20, 4))
        else cast(0.0001 as decimal(20, 4))
    end
{%- endmacro %}
