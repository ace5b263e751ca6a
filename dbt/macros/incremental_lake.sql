{#-
    Incremental reads of the Parquet lake (DECISIONLOG.md, "Incremental staging").

    The watermark is the lake's own write time, not a business date and not the
    Airflow run id: a backfill of old days lands old partitions *now*, and a
    nightly run with a lookback rewrites the last days' partitions *now*, so
    "partition files written since the last build" catches both, in any order.
    Each incremental model stores the write time of the file its row came from
    (`_lake_file_written_at`); the next run reads only the files written at or
    after max(_lake_file_written_at) minus `lake_lookback_hours` (a margin for
    files rewritten while the previous build was reading them).
-#}

{#- (lake_file, lake_file_written_at) of every data file of a lake source. -#}
{% macro lake_files(source_name) -%}
    {{ return(adapter.dispatch('lake_files', 'acorn')(source_name)) }}
{%- endmacro %}

{% macro duckdb__lake_files(source_name) -%}
    select
        filename as lake_file,
        last_modified as lake_file_written_at,
    from read_blob('{{ lake_glob(source_name) }}')
{%- endmacro %}

{% macro spark__lake_files(source_name) -%}
    {#- The registered view carries the file's path and modification time
        (register_lake_sources in lake.sql). -#}
    select distinct
        filename as lake_file,
        _lake_file_modified_at as lake_file_written_at
    from {{ source('spapi', source_name) }}
{%- endmacro %}

{#-
    Predicate on `file_column` keeping only rows from lake files written since
    this model's watermark (minus the lookback). `true` on a first or full build.
    DuckDB: the file list is resolved when the model runs and rendered as
    constants, so the Parquet scan skips every other file (EXPLAIN shows
    "File Filters").
-#}
{% macro lake_files_written_since_last_build(source_name, file_column) -%}
    {{ return(adapter.dispatch('lake_files_written_since_last_build', 'acorn')(source_name, file_column)) }}
{%- endmacro %}

{% macro duckdb__lake_files_written_since_last_build(source_name, file_column) -%}
    {%- if not (execute and is_incremental()) -%}
        true
    {%- else -%}
        {%- set files_sql -%}
            with watermark as (
                select
                    max(_lake_file_written_at)
                    - to_hours({{ var('lake_lookback_hours') | int }}) as written_since,
                from {{ this }}
            )

            select lake_files.lake_file
            from ({{ lake_files(source_name) }}) as lake_files
            cross join watermark
            where watermark.written_since is null
                or lake_files.lake_file_written_at >= watermark.written_since
            order by lake_files.lake_file
        {%- endset -%}
        {%- set files = run_query(files_sql).columns[0].values() -%}
        {%- if files | length == 0 -%}
            false
        {%- else -%}
            {{ file_column }} in (
            {%- for file in files %}
                '{{ file | replace("'", "''") }}'{{ "," if not loop.last }}
            {%- endfor %}
            )
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro spark__lake_files_written_since_last_build(source_name, file_column) -%}
    {%- if is_incremental() -%}
        {{ file_column }} in (
            select lake_file
            from ({{ lake_files(source_name) }}) as lake_files
            where lake_file_written_at >= (
                select max(_lake_file_written_at) - interval {{ var('lake_lookback_hours') | int }} hours
                from {{ this }}
            )
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#-
    Post-hook: drop rows whose lake file no longer exists (lake_retention deleted
    the partition), so an incremental table holds what a full refresh would.
-#}
{% macro delete_rows_of_deleted_lake_files(source_name) -%}
    {{ return(adapter.dispatch('delete_rows_of_deleted_lake_files', 'acorn')(source_name)) }}
{%- endmacro %}

{% macro duckdb__delete_rows_of_deleted_lake_files(source_name) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where _lake_file not in (select file from glob('{{ lake_glob(source_name) }}'))
    {%- else -%}
        select 1 as nothing_to_delete_after_a_full_build
    {%- endif -%}
{%- endmacro %}

{% macro spark__delete_rows_of_deleted_lake_files(source_name) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where _lake_file not in (select lake_file from ({{ lake_files(source_name) }}) as lake_files)
    {%- else -%}
        select 1 as nothing_to_delete_after_a_full_build
    {%- endif -%}
{%- endmacro %}

{#- The build's start time, stamped on rows an incremental model (re)writes. -#}
{% macro warehouse_loaded_at() -%}
    cast('{{ run_started_at.isoformat() }}' as {{ type_timestamp_tz() }})
{%- endmacro %}

{#- Post-hook of stg_spapi__transaction_breakdowns: transactions gone from staging
    (their lake file was deleted) take their breakdowns with them. -#}
{% macro delete_breakdowns_of_removed_transactions() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where transaction_id not in (select transaction_id from {{ ref('stg_spapi__transactions') }})
    {%- else -%}
        select 1 as nothing_to_delete_after_a_full_build
    {%- endif -%}
{%- endmacro %}
