with

refund_lines as (
    select * from "acorn"."intermediate"."int_refunds_joined_to_charges"
),

refund_transactions as (
    select * from "acorn"."staging"."stg_spapi__transactions"
    where is_buyer_refund
),


buyer_refund_types as (
    select * from "acorn"."seeds"."transaction_types"
    where is_buyer_refund
),

settlement_lines as (
    select * from "acorn"."staging"."stg_spapi__settlement_lines"
    where transaction_type in (
        select buyer_refund_types.settlement_transaction_type from buyer_refund_types
    )
),


lines_aggregated_to_refund_sku as (
    select
        seller_id,
        marketplace_id,
        transaction_type,
        order_id,
        adjustment_id,
        posted_at,
        sku,
        min(settlement_id) as settlement_id,
        count(*) as settlement_line_count,
        sum(amount) as settled_amount
    from settlement_lines
    group by 1, 2, 3, 4, 5, 6, 7
),


refund_lines_keyed as (
    select
        refund_lines.refund_line_id,
        refund_lines.seller_id,
        refund_lines.marketplace_id,
        refund_lines.order_id,
        refund_lines.sku,
        refund_transactions.refund_id,
        refund_transactions.posted_at,
        buyer_refund_types.settlement_transaction_type,
        refund_lines.net_amount,
        sum(refund_lines.net_amount) over (
            partition by refund_lines.transaction_id, refund_lines.sku
        ) as sku_net_amount,
        row_number() over (
            partition by refund_lines.transaction_id, refund_lines.sku
            order by refund_lines.item_index
        ) = 1 as is_first_item_of_sku
    from refund_lines
    inner join refund_transactions
        on refund_lines.transaction_id = refund_transactions.transaction_id
    left join buyer_refund_types
        on refund_transactions.transaction_type = buyer_refund_types.transaction_type
),

refund_lines_joined_to_settlement_lines as (
    select
        refund_lines_keyed.refund_line_id,
        refund_lines_keyed.sku_net_amount,
        lines_aggregated_to_refund_sku.settlement_id,
        coalesce(lines_aggregated_to_refund_sku.settlement_line_count, 0)
            as settlement_line_count,
        lines_aggregated_to_refund_sku.settled_amount as sku_settled_amount,
        
        case
            when lines_aggregated_to_refund_sku.settlement_id is null then null
            when refund_lines_keyed.is_first_item_of_sku
                then
                    refund_lines_keyed.net_amount
                    + lines_aggregated_to_refund_sku.settled_amount
                    - refund_lines_keyed.sku_net_amount
            else refund_lines_keyed.net_amount
        end as settled_amount
    from refund_lines_keyed
    left join lines_aggregated_to_refund_sku
        on
            refund_lines_keyed.seller_id = lines_aggregated_to_refund_sku.seller_id
            and refund_lines_keyed.marketplace_id = lines_aggregated_to_refund_sku.marketplace_id
            and refund_lines_keyed.settlement_transaction_type
            = lines_aggregated_to_refund_sku.transaction_type
            and refund_lines_keyed.order_id = lines_aggregated_to_refund_sku.order_id
            and refund_lines_keyed.refund_id = lines_aggregated_to_refund_sku.adjustment_id
            and refund_lines_keyed.posted_at = lines_aggregated_to_refund_sku.posted_at
            and refund_lines_keyed.sku = lines_aggregated_to_refund_sku.sku
)

select * from refund_lines_joined_to_settlement_lines