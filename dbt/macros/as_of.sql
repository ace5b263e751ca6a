{#-
    The instant the marts are "as of" (deterministic: never now()). The dbt var
    `as_of` (ISO-8601 UTC timestamp) when set, else the latest posted_at in
    stg_spapi__transactions.
-#}
{% macro as_of_timestamp() -%}
    {%- if var('as_of', none) -%}
        cast('{{ var("as_of") }}' as {{ type_timestamp_tz() }})
    {%- else -%}
        (select max(posted_at) from {{ ref('stg_spapi__transactions') }})
    {%- endif -%}
{%- endmacro %}
