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
    The one read of a lake source for a staging model (the Fivetran `base_`
    role, as a macro): the rows a build must read (below), each with the write
    time of its lake file as `_lake_file_written_at` (the incremental watermark),
    so that the `stg_` model itself reads as rename, cast and dedupe. Inner join:
    a file that appeared after the listing is read by the next build.
-#}
{% macro lake_source_rows(source_name) -%}
    (
        select
            lake_rows.*,
            lake_file_times.lake_file_written_at as _lake_file_written_at
        from {{ lake_source_written_since_last_build(source_name) }} as lake_rows
        inner join ({{ lake_files(source_name) }}) as lake_file_times
            on lake_rows.filename = lake_file_times.lake_file
    )
{%- endmacro %}

{#-
    The rows of a lake source that a build must read: the whole source on a first
    or full build; on an incremental build only the files written since this
    model's watermark (max `_lake_file_written_at` held) minus the lookback.
    `source()` is still what the model names (lineage, freshness, first builds).
-#}
{% macro lake_source_written_since_last_build(source_name) -%}
    {%- set files_sql -%}
        with watermark as (
            select
                {{ dbt.dateadd(
                    'hour', -(var('lake_lookback_hours') | int), 'max(_lake_file_written_at)'
                ) }} as written_since
            from {{ this }}
        )

        select lake_files.lake_file
        from ({{ lake_files(source_name) }}) as lake_files
        cross join watermark
        where watermark.written_since is null
            or lake_files.lake_file_written_at >= watermark.written_since
    {%- endset -%}
    {{ lake_source_files(source_name, files_sql) }}
{%- endmacro %}

{#-
    The rows of the lake files `files_sql` returns (a query of one column of lake
    file paths) on an incremental build; the whole source on a first or full
    build. DuckDB: the list is resolved when the model runs and read as a
    `read_parquet([...])` list (0.2 s for 650 of 12k files, against 12 s for the
    same files picked by a `filename in (...)` filter over the source's glob,
    which DuckDB evaluates file by file while planning). Other engines filter
    the registered source on its `filename` column.
-#}
{% macro lake_source_files(source_name, files_sql) -%}
    {{ return(adapter.dispatch('lake_source_files', 'acorn')(source_name, files_sql)) }}
{%- endmacro %}

{% macro duckdb__lake_source_files(source_name, files_sql) -%}
    {%- if not (execute and is_incremental()) -%}
        {{ source('spapi', source_name) }}
    {%- else -%}
        {%- set files = run_query(
            'select distinct * from (' ~ files_sql ~ ') as lake_file_list order by 1'
        ).columns[0].values() -%}
        {%- if files | length == 0 -%}
            (select * from {{ source('spapi', source_name) }} where false)
        {%- else -%}
            {# The options of the source's external_location (_spapi__sources.yml). #}
            read_parquet([{{ sql_string_list(files) }}],
                hive_partitioning = false, union_by_name = true, filename = true)
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- Values as a comma-separated list of SQL string literals. -#}
{% macro sql_string_list(values) -%}
    {%- for value in values %}
        '{{ value | replace("'", "''") }}'{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{% macro default__lake_source_files(source_name, files_sql) -%}
    (
        select * from {{ source('spapi', source_name) }}
        {%- if is_incremental() %}
        where filename in ({{ files_sql }})
        {%- endif %}
    )
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

{#- Post-hook of the incremental models keyed by transaction (breakdowns, the
    settlement match): transactions gone from staging (their lake file was
    deleted) take their rows with them. -#}
{% macro delete_rows_of_removed_transactions() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where transaction_id not in (select transaction_id from {{ ref('stg_spapi__transactions') }})
    {%- else -%}
        select 1 as nothing_to_delete_after_a_full_build
    {%- endif -%}
{%- endmacro %}

{#- When the lake extracted a row: the ISO time after `__` in its `_run_id`
    (null for run ids without one). Airflow 3 appends `_<random suffix>` to its run
    ids (manual__2026-12-02T02:03:32.083956+00:00_KLD28w4U); an ISO time has no
    underscore, so the part before the next one is the time. Without it every real
    run's time was null and the copies were ranked by run id text, where any
    scheduled__ run sorts after every manual__ one. -#}
{% macro lake_extracted_at(run_id_column) -%}
    {%- set run_time = "split_part(split_part(" ~ run_id_column ~ ", '__', 2), '_', 1)" -%}
    {{ try_cast("nullif(" ~ run_time ~ ", '')", type_timestamp_tz()) }}
{%- endmacro %}

{#-
    The latest copy of each key among the rows just read (`relation`, a CTE of
    this model's final columns) and, on an incremental build, the row already
    held for the same key: a record the lake holds twice (re-dated across
    partitions, or re-landed by an overlapping lookback) becomes one row, and a
    full refresh and an incremental build keep the same copy. `order_by` ranks
    copies, latest first (a list of "column direction" terms). A held row is
    compared on those columns only (its wide payload is not read) and a new row
    that loses to it is not returned, so delete+insert leaves the held row be.
    Ties go to the fresh read, so a re-read file's rows are re-written and
    downstream models see them.
-#}
{% macro latest_row_per_key(relation, unique_key, order_by) -%}
    {%- set order_columns = [] -%}
    {%- for term in order_by -%}
        {%- do order_columns.append(term.split()[0]) -%}
    {%- endfor -%}
    select fresh.* from (
        select * from {{ relation }}
        qualify row_number() over (
            partition by {{ unique_key }} order by {{ order_by | join(', ') }}
        ) = 1
    ) as fresh
    {%- if is_incremental() %}
    left join (
        select {{ unique_key }} from (
            select {{ unique_key }}, {{ order_columns | join(', ') }}, 1 as is_held
            from {{ this }}
            where {{ unique_key }} in (select {{ unique_key }} from {{ relation }})
            union all
            select {{ unique_key }}, {{ order_columns | join(', ') }}, 0 as is_held
            from {{ relation }}
        ) as copies
        qualify row_number() over (
            partition by {{ unique_key }} order by {{ order_by | join(', ') }}, is_held
        ) = 1 and is_held = 1
    ) as held_wins
        on fresh.{{ unique_key }} = held_wins.{{ unique_key }}
    where held_wins.{{ unique_key }} is null
    {%- endif %}
{%- endmacro %}

{#- The start of this model's last build (max `_warehouse_loaded_at` it holds), or
    1900-01-01 for an empty table, so that an empty table reads everything. Models
    built on incremental staging re-process rows written after it. -#}
{% macro last_build_started_at() -%}
    (
        select
            coalesce(
                max(_warehouse_loaded_at), cast('1900-01-01' as {{ type_timestamp_tz() }})
            )
        from {{ this }}
    )
{%- endmacro %}

{#- A fingerprint of a row's columns, for "is this re-read row the one already
    held" (compared only within one warehouse). DuckDB: its 64-bit hash of the
    values, 4-7x faster than md5 of their text on a night's re-read rows (a
    changed row passes for unchanged with odds of 2^-64). Elsewhere: md5 of the
    columns as text, null distinct from any value, '|' between. -#}
{% macro row_hash(columns) -%}
    {{ return(adapter.dispatch('row_hash', 'acorn')(columns)) }}
{%- endmacro %}

{% macro duckdb__row_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro default__row_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- if not loop.first %}{% do parts.append("'|'") %}{% endif -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '<null>')") -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
