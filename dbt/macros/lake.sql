{#-
    How the Parquet lake becomes `source('spapi', <name>)`.

    DuckDB: nothing to do. Each source carries `config.external_location`
    (see _spapi__sources.yml), so dbt-duckdb renders `source()` as
    read_parquet('<lake>/<name>/*/*/*/data.parquet', ...).

    Other engines (Spark via dbt-spark): there is no read_parquet(), so the
    lake is registered as external tables in `on-run-start` and `source()`
    resolves to them. Untested here: written for the Spark slice.
-#}
{% macro register_lake_sources() -%}
    {{ return(adapter.dispatch('register_lake_sources', 'acorn')()) }}
{%- endmacro %}

{% macro duckdb__register_lake_sources() -%}
    select 1 as lake_sources_are_external_locations
{%- endmacro %}

{% macro default__register_lake_sources() -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() if node.source_name == 'spapi' -%}
            create schema if not exists {{ node.schema }};
            create table if not exists {{ node.schema }}.{{ node.name }}
            using parquet
            location '{{ var('lake_dir', env_var('ACORN_LAKE_DIR')) }}/{{ node.name }}';
        {% endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- The glob a lake source reads on engines that read files directly. -#}
{% macro lake_glob(source_name) -%}
    {{ var('lake_dir', env_var('ACORN_LAKE_DIR')) }}/{{ source_name }}/*/*/*/data.parquet
{%- endmacro %}
