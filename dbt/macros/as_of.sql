{#-
    STAND-IN (wt-decisions) for the as_of macro announced for main: drop this
    file when main's dbt/macros/as_of.sql lands.
    The build's "as of" instant: var('as_of') (ISO-8601 UTC) when set, else the
    latest posted_at in stg_spapi__transactions.
-#}
{% macro as_of_timestamp() -%}
    {%- if var('as_of', none) -%}
        cast('{{ var("as_of") }}' as {{ type_timestamp_tz() }})
    {%- else -%}
        (select max(posted_at) from {{ ref('stg_spapi__transactions') }})
    {%- endif -%}
{%- endmacro %}
