{#-
    How the Parquet lake becomes `source('spapi', <name>)`.

    DuckDB: nothing to do. Each source carries `config.external_location`
    (see _spapi__sources.yml), so dbt-duckdb renders `source()` as
    read_parquet('<lake>/<name>/*/*/*/data.parquet', ...).

    Spark (dbt-spark): there is no read_parquet(), so the lake is registered
    as external tables (and a view each) in `on-run-start` and `source()`
    resolves to them (DECISIONLOG.md, "Spark portability"). The risk score
    files (source risk, issue #15) are registered the same way.
-#}
{% macro register_lake_sources() -%}
    {{ return(adapter.dispatch('register_lake_sources', 'acorn')()) }}
{%- endmacro %}

{% macro duckdb__register_lake_sources() -%}
    select 1 as lake_sources_are_external_locations
{%- endmacro %}

{#-
    Spark: each source is a view over an external Parquet table of its lake
    directory. recursiveFileLookup reads the hive-style partition directories
    (seller_id=/marketplace_id=/date=) as plain files: every file carries
    seller_id and marketplace_id itself, and inferring them again from the path
    would clash with those columns. The view adds what DuckDB's read_parquet
    gives with filename = true: `filename`, and the file's modification time
    (`_lake_file_modified_at`, for lake_files()). One statement per call:
    a Spark session runs one statement per query.
-#}
{% macro spark__register_lake_sources() -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() if node.source_name == 'spapi' -%}
            {%- set files_table = node.schema ~ '.' ~ node.identifier ~ '__files' -%}
            {%- set source_view = node.schema ~ '.' ~ node.identifier -%}
            {%- do run_query('create schema if not exists ' ~ node.schema) -%}
            {%- do run_query('drop view if exists ' ~ source_view) -%}
            {%- do run_query('drop table if exists ' ~ files_table) -%}
            {%- set create_files_table -%}
                create table {{ files_table }}
                using parquet
                options (
                    recursiveFileLookup 'true',
                    pathGlobFilter 'data.parquet',
                    mergeSchema 'true'
                )
                location '{{ var('lake_dir', env_var('ACORN_LAKE_DIR')) }}/{{ node.name }}'
            {%- endset -%}
            {%- do run_query(create_files_table) -%}
            {%- set create_source_view -%}
                create view {{ source_view }} as
                select
                    *,
                    _metadata.file_path as filename,
                    _metadata.file_modification_time as _lake_file_modified_at
                from {{ files_table }}
            {%- endset -%}
            {%- do run_query(create_source_view) -%}
        {%- endfor -%}
        {#- The risk score files (source risk) and the cash-flow forecast (source
            cashflow): one Parquet file each, read as a view over Spark's file source
            (no table location needed for a single file). -#}
        {%- for node in graph.sources.values() if node.source_name in ('risk', 'cashflow') -%}
            {%- set score_view = node.schema ~ '.' ~ node.identifier -%}
            {%- do run_query('create schema if not exists ' ~ node.schema) -%}
            {%- do run_query('drop view if exists ' ~ score_view) -%}
            {%- set create_score_view -%}
                create view {{ score_view }} as
                select * from parquet.`{{ risk_scores_path(node.name) if node.source_name == 'risk' else cashflow_forecast_path(node.name) }}`
            {%- endset -%}
            {%- do run_query(create_score_view) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1 as lake_sources_registered
{%- endmacro %}

{% macro default__register_lake_sources() -%}
    {{ exceptions.raise_compiler_error(
        "register_lake_sources: no implementation for adapter " ~ adapter.type() ~ " (duckdb, spark)"
    ) }}
{%- endmacro %}

{#- The glob a lake source reads on engines that read files directly. -#}
{% macro lake_glob(source_name) -%}
    {{ var('lake_dir', env_var('ACORN_LAKE_DIR')) }}/{{ source_name }}/*/*/*/data.parquet
{%- endmacro %}

{#- The forecast file a cashflow source reads (ACORN_CASHFLOW_DIR, acorn.cashflow.pipeline.forecast_path). -#}
{% macro cashflow_forecast_path(table_name) -%}
    {{ env_var('ACORN_CASHFLOW_DIR') }}/forecasts/{{ table_name }}.parquet
{%- endmacro %}

{#- The score file a risk source reads (ACORN_RISK_DIR, acorn.risk.scores.scores_path). -#}
{% macro risk_scores_path(table_name) -%}
    {{ env_var('ACORN_RISK_DIR') }}/scores/{{ table_name }}.parquet
{%- endmacro %}
