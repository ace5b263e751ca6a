{#- Rows where an arithmetic/logical invariant does not hold (dbt_utils.expression_is_true). -#}
{% test expression_is_true(model, expression, where_clause=none) %}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
    {%- if where_clause %} and ({{ where_clause }}){% endif %}
{% endtest %}
