with

refund_transactions as (
    select * from {{ ref('stg_spapi__transactions') }}
    where is_refund
),

refund_settlement_lines as (
    select * from {{ ref('stg_spapi__settlement_lines') }}
    where transaction_type = 'Refund'
),

{# A refund transaction prints as several lines (Principal, Tax, Commission,
   RefundCommission, ...) sharing order id, adjustment id and posted time.
   Aggregate them to that key before joining. #}
lines_aggregated_to_refund as (
    select
        seller_id,
        marketplace_id,
        order_id,
        adjustment_id,
        posted_at,
        min(settlement_id) as settlement_id,
        count(distinct settlement_id) as settlement_count,
        count(*) as settlement_line_count,
        sum(amount) as settled_amount,
    from refund_settlement_lines
    group by 1, 2, 3, 4, 5
),

refunds_joined_to_settlement_lines as (
    select
        refund_transactions.transaction_id,
        lines_aggregated_to_refund.settlement_id,
        lines_aggregated_to_refund.settlement_count,
        coalesce(lines_aggregated_to_refund.settlement_line_count, 0)
            as settlement_line_count,
        lines_aggregated_to_refund.settled_amount,
    from refund_transactions
    left join lines_aggregated_to_refund
        on refund_transactions.seller_id = lines_aggregated_to_refund.seller_id
        and refund_transactions.marketplace_id = lines_aggregated_to_refund.marketplace_id
        and refund_transactions.order_id = lines_aggregated_to_refund.order_id
        and refund_transactions.refund_id = lines_aggregated_to_refund.adjustment_id
        and refund_transactions.posted_at = lines_aggregated_to_refund.posted_at
)

select * from refunds_joined_to_settlement_lines
