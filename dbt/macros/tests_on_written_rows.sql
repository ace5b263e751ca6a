{#-
    Data tests on the incremental tables check the rows the table's latest build
    wrote, not all of it: their yml says `where: "__written_by_latest_build__"`
    and this override of dbt's `get_where_subquery` puts the predicate in when
    the test runs (dbt's documented pattern for `where` values known only at run
    time). Inside `dbt build` those are the rows this build wrote; a standalone
    `dbt test` checks what the last build wrote. Rows of earlier builds were
    tested by them, and delete+insert on the unique key leaves them as they
    were; a full refresh writes, and so tests, every row. `--vars
    '{test_every_row: true}'` tests whole tables. DECISIONLOG.md, "Warehouse
    slice 6".
-#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- set where = where | replace(
            '__written_by_latest_build__', written_by_latest_build(relation)
        ) -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- Rows of `relation` its latest build wrote (every row with `test_every_row`). -#}
{% macro written_by_latest_build(relation) -%}
    {%- if var('test_every_row', false) -%}
        true
    {%- else -%}
        _warehouse_loaded_at = (select max(_warehouse_loaded_at) from {{ relation }})
    {%- endif -%}
{%- endmacro %}
