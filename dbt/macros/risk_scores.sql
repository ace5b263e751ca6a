{#-
    The columns of a score file row (acorn.risk.scores), written once for both score
    sources: up to three "|"-joined reason codes split into reason_code_1..3, the
    scores (floats in the file: probabilities, not money) as decimal(9,4), scored_at.
-#}
{% macro risk_score_columns(relation) -%}
    {{ relation }}.reason_codes,
    {%- for position in range(1, 4) %}
    nullif({{ dbt.split_part(relation ~ '.reason_codes', "'|'", position) }}, '')
        as reason_code_{{ position }},
    {%- endfor %}
    {{ relation }}.model_version,
    cast({{ relation }}.risk_score as decimal(9, 4)) as risk_score,
    cast({{ relation }}.rules_score as decimal(9, 4)) as rules_score,
    cast({{ relation }}.model_score as decimal(9, 4)) as model_score,
    cast({{ relation }}.scored_at as {{ type_timestamp_tz() }}) as scored_at
{%- endmacro %}
