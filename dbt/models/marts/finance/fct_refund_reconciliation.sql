with

refund_transactions as (
    select * from {{ ref('stg_spapi__transactions') }}
    where is_refund
),

refunds_joined_to_charges as (
    select * from {{ ref('int_refunds_joined_to_charges') }}
),

transactions_joined_to_settlement_lines as (
    select * from {{ ref('int_transactions_joined_to_settlement_lines') }}
),

settlements_joined_to_groups as (
    select * from {{ ref('int_settlements_joined_to_financial_event_groups') }}
),

settlements as (
    select * from {{ ref('stg_spapi__settlements') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

refunds_joined as (
    select
        refund_transactions.transaction_id,
        refund_transactions.seller_id,
        refund_transactions.marketplace_id,
        marketplaces.marketplace_code,
        refund_transactions.order_id,
        refund_transactions.refund_id,
        refund_transactions.financial_event_group_id,
        transactions_joined_to_settlement_lines.settlement_id,
        settlements_joined_to_groups.settlement_id as expected_settlement_id,
        refund_transactions.currency_code,
        coalesce(refunds_joined_to_charges.refunded_principal_amount, 0)
            as refunded_principal_amount,
        coalesce(refunds_joined_to_charges.refunded_tax_amount, 0) as refunded_tax_amount,
        refunds_joined_to_charges.expected_refunded_tax_amount,
        coalesce(refunds_joined_to_charges.refunded_shipping_amount, 0)
            as refunded_shipping_amount,
        coalesce(refunds_joined_to_charges.refunded_shipping_tax_amount, 0)
            as refunded_shipping_tax_amount,
        coalesce(refunds_joined_to_charges.promotion_reversed_amount, 0)
            as promotion_reversed_amount,
        coalesce(refunds_joined_to_charges.tax_withheld_amount, 0) as tax_withheld_amount,
        coalesce(refunds_joined_to_charges.commission_credited_amount, 0)
            as commission_credited_amount,
        coalesce(refunds_joined_to_charges.refund_admin_fee_amount, 0)
            as refund_admin_fee_amount,
        refunds_joined_to_charges.expected_refund_admin_fee_amount,
        coalesce(refunds_joined_to_charges.over_refunded_amount, 0) as over_refunded_amount,
        refund_transactions.total_amount as net_amount,
        transactions_joined_to_settlement_lines.settled_amount,
        transactions_joined_to_settlement_lines.settlement_line_count,
        coalesce(refunds_joined_to_charges.is_over_refund, false) as is_over_refund,
        coalesce(refunds_joined_to_charges.is_duplicate_refund, false) as is_duplicate_refund,
        coalesce(refunds_joined_to_charges.is_tax_mismatch, false) as is_tax_mismatch,
        coalesce(
            refunds_joined_to_charges.refund_admin_fee_amount
            <> refunds_joined_to_charges.expected_refund_admin_fee_amount,
            false
        ) as is_fee_error,
        refund_transactions.posted_local_date,
        refund_transactions.posted_at,
        settlements.settlement_ended_at,
    from refund_transactions
    left join marketplaces
        on refund_transactions.marketplace_id = marketplaces.marketplace_id
    left join refunds_joined_to_charges
        on refund_transactions.transaction_id = refunds_joined_to_charges.transaction_id
    left join transactions_joined_to_settlement_lines
        on refund_transactions.transaction_id
        = transactions_joined_to_settlement_lines.transaction_id
    left join settlements_joined_to_groups
        on refund_transactions.financial_event_group_id
        = settlements_joined_to_groups.financial_event_group_id
    left join settlements
        on coalesce(
            transactions_joined_to_settlement_lines.settlement_id,
            settlements_joined_to_groups.settlement_id
        ) = settlements.settlement_id
),

reconciled as (
    select
        *,
        refund_admin_fee_amount - expected_refund_admin_fee_amount
            as refund_admin_fee_difference_amount,
        settled_amount - net_amount as settlement_difference_amount,
        case
            when settlement_id is not null and settled_amount = net_amount then 'matched'
            when settlement_id is not null then 'amount_mismatch'
            {# Its payout cycle's settlement report has landed without it. #}
            when expected_settlement_id is not null then 'missing_from_settlement'
            else 'pending_settlement'
        end as reconciliation_status,
    from refunds_joined
)

select
    transaction_id,
    seller_id,
    marketplace_id,
    marketplace_code,
    order_id,
    refund_id,
    financial_event_group_id,
    settlement_id,
    expected_settlement_id,
    currency_code,
    cast(refunded_principal_amount as decimal(20, 4)) as refunded_principal_amount,
    cast(refunded_tax_amount as decimal(20, 4)) as refunded_tax_amount,
    cast(expected_refunded_tax_amount as decimal(20, 4)) as expected_refunded_tax_amount,
    cast(refunded_shipping_amount as decimal(20, 4)) as refunded_shipping_amount,
    cast(refunded_shipping_tax_amount as decimal(20, 4)) as refunded_shipping_tax_amount,
    cast(promotion_reversed_amount as decimal(20, 4)) as promotion_reversed_amount,
    cast(tax_withheld_amount as decimal(20, 4)) as tax_withheld_amount,
    cast(commission_credited_amount as decimal(20, 4)) as commission_credited_amount,
    cast(refund_admin_fee_amount as decimal(20, 4)) as refund_admin_fee_amount,
    cast(expected_refund_admin_fee_amount as decimal(20, 4)) as expected_refund_admin_fee_amount,
    cast(refund_admin_fee_difference_amount as decimal(20, 4)) as refund_admin_fee_difference_amount,
    cast(over_refunded_amount as decimal(20, 4)) as over_refunded_amount,
    cast(net_amount as decimal(20, 4)) as net_amount,
    cast(settled_amount as decimal(20, 4)) as settled_amount,
    cast(settlement_difference_amount as decimal(20, 4)) as settlement_difference_amount,
    settlement_line_count,
    reconciliation_status,
    is_over_refund,
    is_duplicate_refund,
    is_fee_error,
    is_tax_mismatch,
    posted_local_date,
    posted_at,
    settlement_ended_at,
from reconciled
