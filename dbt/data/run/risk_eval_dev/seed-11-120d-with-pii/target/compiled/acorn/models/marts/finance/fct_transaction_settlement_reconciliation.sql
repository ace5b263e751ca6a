with

transactions_joined_to_settlement_lines as (
    select * from "acorn"."intermediate"."int_transactions_joined_to_settlement_lines"
),

settlements_joined_to_groups as (
    select * from "acorn"."intermediate"."int_settlements_joined_to_financial_event_groups"
),



transaction_types as (
    select transaction_type from "acorn"."seeds"."transaction_types"
),

transactions as (
    select * from "acorn"."staging"."stg_spapi__transactions"
    where
        transaction_type in (select transaction_types.transaction_type from transaction_types)
    
),

transactions_joined as (
    select
        transactions.transaction_id,
        transactions.seller_id,
        transactions.marketplace_id,
        transactions.transaction_type,
        transactions.order_id,
        transactions.shipment_id,
        transactions.refund_id,
        transactions.financial_event_group_id,
        transactions.transaction_status,
        transactions.deferral_reason,
        transactions.deferral_maturity_at,
        coalesce(transactions.is_deferred, false) as is_deferred,
        coalesce(settlements_joined_to_groups.is_report_missing, false) as is_report_missing,
        transactions_joined_to_settlement_lines.settlement_id,
        settlements_joined_to_groups.settlement_id as expected_settlement_id,
        transactions.currency_code,
        transactions.total_amount as net_amount,
        transactions_joined_to_settlement_lines.settled_amount,
        transactions_joined_to_settlement_lines.settlement_line_count,
        transactions.posted_local_date,
        transactions.posted_at
    from transactions
    left join transactions_joined_to_settlement_lines
        on
            transactions.transaction_id
            = transactions_joined_to_settlement_lines.transaction_id
    left join settlements_joined_to_groups
        on
            transactions.financial_event_group_id
            = settlements_joined_to_groups.financial_event_group_id
),

reconciled as (
    select
        *,
        settled_amount - net_amount as settlement_difference_amount,
        case
        when settlement_id is not null and settled_amount = net_amount
            then 'matched'
        when settlement_id is not null then 'amount_mismatch'
        when expected_settlement_id is not null then 'missing_from_settlement'
        when is_deferred then 'deferred'
        when is_report_missing then 'report_missing'
        else 'pending_settlement'
    end as reconciliation_status
    from transactions_joined
)

select
    transaction_id,
    seller_id,
    marketplace_id,
    transaction_type,
    order_id,
    shipment_id,
    refund_id,
    financial_event_group_id,
    settlement_id,
    expected_settlement_id,
    currency_code,
    cast(net_amount as decimal(20, 4)) as net_amount,
    cast(settled_amount as decimal(20, 4)) as settled_amount,
    cast(settlement_difference_amount as decimal(20, 4)) as settlement_difference_amount,
    settlement_line_count,
    reconciliation_status,
    transaction_status,
    deferral_reason,
    deferral_maturity_at,
    posted_local_date,
    posted_at,
    cast('2026-12-02T06:44:54.373942+00:00' as timestamp with time zone) as _warehouse_loaded_at
from reconciled