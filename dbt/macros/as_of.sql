{#-
    The instant every "as of" rule is judged at (claim windows, alert due
    times, open decisions): the var `as_of` (ISO-8601 UTC) when the build sets
    it, else the latest posting the warehouse holds. Never the wall clock, so
    re-running a night gives identical marts.
-#}
{% macro as_of_timestamp() -%}
    {%- if var('as_of', none) -%}
        cast('{{ var("as_of") | replace("Z", "") | replace("T", " ") }}' as {{ type_timestamp_tz() }})
    {%- else -%}
        (select max(posted_at) from {{ ref('stg_spapi__transactions') }})
    {%- endif -%}
{%- endmacro %}
