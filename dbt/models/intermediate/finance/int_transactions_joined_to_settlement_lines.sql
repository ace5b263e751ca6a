with

transactions as (
    select * from {{ ref('stg_spapi__transactions') }}
    where transaction_type in ('Shipment', 'Refund', 'Chargeback', 'GuaranteeClaim')
),

settlement_lines as (
    select * from {{ ref('stg_spapi__settlement_lines') }}
    where transaction_type in (
        'Order', 'Refund', 'Chargeback Refund', 'A-to-z Guarantee Refund'
    )
),

{# A transaction prints as several lines (Principal, Tax, Commission, ...)
   sharing its type, order id, shipment id (orders) or adjustment id (refunds,
   chargebacks, A-to-z claims) and posted time. Aggregate them to that key
   before joining. The posted time separates a duplicate refund (same refund
   id, later posting) from the original. #}
lines_aggregated_to_transaction as (
    select
        seller_id,
        marketplace_id,
        transaction_type,
        order_id,
        coalesce(adjustment_id, shipment_id) as posting_key,
        posted_at,
        min(settlement_id) as settlement_id,
        count(distinct settlement_id) as settlement_count,
        count(*) as settlement_line_count,
        sum(amount) as settled_amount
    from settlement_lines
    group by 1, 2, 3, 4, 5, 6
),

{# The V2 report's transaction-type for each Finances transaction type. #}
transactions_keyed as (
    select
        transaction_id,
        seller_id,
        marketplace_id,
        order_id,
        posted_at,
        case transaction_type
            when 'Shipment' then 'Order'
            when 'Refund' then 'Refund'
            when 'Chargeback' then 'Chargeback Refund'
            when 'GuaranteeClaim' then 'A-to-z Guarantee Refund'
        end as settlement_transaction_type,
        case
            when transaction_type = 'Shipment' then shipment_id
            else refund_id
        end as posting_key
    from transactions
),

transactions_joined_to_settlement_lines as (
    select
        transactions_keyed.transaction_id,
        lines_aggregated_to_transaction.settlement_id,
        lines_aggregated_to_transaction.settlement_count,
        coalesce(lines_aggregated_to_transaction.settlement_line_count, 0)
            as settlement_line_count,
        lines_aggregated_to_transaction.settled_amount
    from transactions_keyed
    left join lines_aggregated_to_transaction
        on
            transactions_keyed.seller_id = lines_aggregated_to_transaction.seller_id
            and transactions_keyed.marketplace_id
            = lines_aggregated_to_transaction.marketplace_id
            and transactions_keyed.settlement_transaction_type
            = lines_aggregated_to_transaction.transaction_type
            and transactions_keyed.order_id = lines_aggregated_to_transaction.order_id
            and transactions_keyed.posting_key = lines_aggregated_to_transaction.posting_key
            and transactions_keyed.posted_at = lines_aggregated_to_transaction.posted_at
)

select * from transactions_joined_to_settlement_lines
