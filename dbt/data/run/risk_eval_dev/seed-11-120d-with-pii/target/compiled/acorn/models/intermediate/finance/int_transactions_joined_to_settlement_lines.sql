with


transaction_types as (
    select * from "acorn"."seeds"."transaction_types"
),

transactions as (
    select * from "acorn"."staging"."stg_spapi__transactions"
    where transaction_type in (select transaction_types.transaction_type from transaction_types)
),

settlement_lines as (
    select * from "acorn"."staging"."stg_spapi__settlement_lines"
    where transaction_type in (
        select transaction_types.settlement_transaction_type from transaction_types
    )
),

transactions_keyed as (
    select
        transactions.transaction_id,
        transactions.seller_id,
        transactions.marketplace_id,
        transactions.order_id,
        transactions.posted_at,
        transaction_types.settlement_transaction_type,
        case
            when transactions.transaction_type = 'Shipment' then transactions.shipment_id
            else transactions.refund_id
        end as posting_key,
        transactions._warehouse_loaded_at
    from transactions
    inner join transaction_types
        on transactions.transaction_type = transaction_types.transaction_type
),

transactions_to_match as (
    select * from transactions_keyed
),

lines_to_aggregate as (
    select * from settlement_lines
),


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
    from lines_to_aggregate
    group by 1, 2, 3, 4, 5, 6
),

transactions_joined_to_settlement_lines as (
    select
        transactions_to_match.transaction_id,
        lines_aggregated_to_transaction.settlement_id,
        lines_aggregated_to_transaction.settlement_count,
        coalesce(lines_aggregated_to_transaction.settlement_line_count, 0)
            as settlement_line_count,
        lines_aggregated_to_transaction.settled_amount,
        cast('2026-12-02T06:44:54.373942+00:00' as timestamp with time zone) as _warehouse_loaded_at
    from transactions_to_match
    left join lines_aggregated_to_transaction
        on
            transactions_to_match.seller_id = lines_aggregated_to_transaction.seller_id
            and transactions_to_match.marketplace_id
            = lines_aggregated_to_transaction.marketplace_id
            and transactions_to_match.settlement_transaction_type
            = lines_aggregated_to_transaction.transaction_type
            and transactions_to_match.order_id = lines_aggregated_to_transaction.order_id
            and transactions_to_match.posting_key = lines_aggregated_to_transaction.posting_key
            and transactions_to_match.posted_at = lines_aggregated_to_transaction.posted_at
)

select * from transactions_joined_to_settlement_lines