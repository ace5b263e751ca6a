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

{#- The type of an absolute instant (DuckDB TIMESTAMPTZ; Spark's TIMESTAMP is one). -#}
{% macro type_timestamp_tz() -%}
    {{ return(adapter.dispatch('type_timestamp_tz', 'acorn')()) }}
{%- endmacro %}

{% macro duckdb__type_timestamp_tz() -%}
    timestamp with time zone
{%- endmacro %}

{% macro default__type_timestamp_tz() -%}
    timestamp
{%- endmacro %}

{#-
    Materialization of the incremental staging models (DECISIONLOG.md,
    "Spark portability"). DuckDB: incremental, strategy delete+insert. Spark with
    plain Parquet tables has no delete+insert or merge (merge needs Delta or
    Iceberg, not installable here) and its insert_overwrite without partitions
    would drop every row not re-read: there they are rebuilt as tables.
-#}
{% macro lake_incremental_materialization() -%}
    {{ return(adapter.dispatch('lake_incremental_materialization', 'acorn')()) }}
{%- endmacro %}

{% macro duckdb__lake_incremental_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro default__lake_incremental_materialization() -%}
    {{ return('table') }}
{%- endmacro %}

{#-
    Model contracts on Spark. The marts' contracts are written in DuckDB type
    names; Spark's parser rejects `varchar` without a length and
    `timestamp with time zone`, so the contract check reads them as Spark's
    equivalents (string, timestamp) and then compares types as usual.
-#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set spark_types = {
        'varchar': 'string',
        'timestamp with time zone': 'timestamp',
        'timestamptz': 'timestamp',
    } -%}
    {%- set spark_columns = {} -%}
    {%- for name in columns -%}
        {%- set column = columns[name].copy() -%}
        {%- if column.get('data_type') -%}
            {%- set data_type = column['data_type'] | trim | lower -%}
            {%- do column.update({'data_type': spark_types.get(data_type, column['data_type'])}) -%}
        {%- endif -%}
        {%- do spark_columns.update({name: column}) -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(spark_columns)) }}
{%- endmacro %}

{#- A value as text for an evidence record: 'n/a' where it is null (a null
    would blank the whole concatenation on Spark). -#}
{% macro evidence_value(expression) -%}
    coalesce(cast({{ expression }} as {{ dbt.type_string() }}), 'n/a')
{%- endmacro %}

{#- A marketplace-local wall-clock timestamp (no zone) -> the UTC instant. -#}
{% macro local_to_utc(timestamp_local, time_zone) -%}
    {{ return(adapter.dispatch('local_to_utc', 'acorn')(timestamp_local, time_zone)) }}
{%- endmacro %}

{% macro duckdb__local_to_utc(timestamp_local, time_zone) -%}
    timezone({{ time_zone }}, cast({{ timestamp_local }} as timestamp))
{%- endmacro %}

{% macro default__local_to_utc(timestamp_local, time_zone) -%}
    to_utc_timestamp(cast({{ timestamp_local }} as timestamp), {{ time_zone }})
{%- endmacro %}

{#- ISO weekday (1 = Monday ... 7 = Sunday) of a date, from the distance to a
    known Monday (2001-01-01) with dbt's cross-database datediff. -#}
{% macro iso_weekday(date_expression) -%}
    ({{ dbt.datediff("cast('2001-01-01' as date)", date_expression, 'day') }} % 7 + 1)
{%- endmacro %}

{#- Evidence text without its ", SP-API request <id>" citations (the lineage part). -#}
{% macro strip_request_citations(text) -%}
    {{ return(adapter.dispatch('strip_request_citations', 'acorn')(text)) }}
{%- endmacro %}

{% macro duckdb__strip_request_citations(text) -%}
    regexp_replace({{ text }}, ', SP-API request [A-Za-z0-9/_-]+', '', 'g')
{%- endmacro %}

{% macro default__strip_request_citations(text) -%}
    regexp_replace({{ text }}, ', SP-API request [A-Za-z0-9/_-]+', '')
{%- endmacro %}

{#- A UTC instant as microseconds since 1970-01-01 (a bigint): the order key of
    the look-back frames below, so that they are numeric range frames, which
    DuckDB and Spark read alike (interval frames differ in syntax). -#}
{% macro epoch_microseconds(timestamp_utc) -%}
    {{ return(adapter.dispatch('epoch_microseconds', 'acorn')(timestamp_utc)) }}
{%- endmacro %}

{% macro duckdb__epoch_microseconds(timestamp_utc) -%}
    epoch_us({{ timestamp_utc }})
{%- endmacro %}

{% macro default__epoch_microseconds(timestamp_utc) -%}
    unix_micros({{ timestamp_utc }})
{%- endmacro %}

{#- The window frame "(t - days, t]" over an epoch_microseconds() order key: rows
    at most `days` days before the current row, never after it (peers at the
    same instant included), exactly `days` days before excluded. -#}
{% macro lookback_frame(days) -%}
    range between {{ days * 86400 * 1000000 - 1 }} preceding and current row
{%- endmacro %}
