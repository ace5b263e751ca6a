{#- One row per seller x order whose buyer key has a risk score: the buyer's
    score (stg_risk__buyer_risk_scores, the scoring task's file, as in
    fct_buyer_risk) for the order's buyer key (int_risk_orders), so that an open
    MFN request of a risky buyer goes to manual review (fct_refund_decisions,
    seed refund_decision_rules.max_buyer_risk_score). No rows while unscored. -#}
with

orders as (
    select * from {{ ref('int_risk_orders') }}
),

buyer_risk_scores as (
    select * from {{ ref('stg_risk__buyer_risk_scores') }}
)

select
    orders.seller_id,
    orders.order_id,
    cast(buyer_risk_scores.risk_score as decimal(9, 4)) as buyer_risk_score
from orders
inner join buyer_risk_scores
    on
        orders.seller_id = buyer_risk_scores.seller_id
        and orders.marketplace_id = buyer_risk_scores.marketplace_id
        and orders.buyer_key = buyer_risk_scores.buyer_key
