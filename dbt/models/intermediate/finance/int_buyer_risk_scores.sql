{#- The seam for buyer fraud scores (a later issue): one row per seller x order
    with the buyer's risk score. No score source exists yet, so it has no rows
    and fct_refund_decisions' buyer-risk rule never fires; replace the body with
    the scoring model's output, keeping the columns. -#}
select
    cast(null as {{ dbt.type_string() }}) as seller_id,
    cast(null as {{ dbt.type_string() }}) as order_id,
    cast(null as decimal(9, 4)) as buyer_risk_score
where 1 = 0
