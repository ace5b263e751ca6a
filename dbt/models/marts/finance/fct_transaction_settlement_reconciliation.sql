{{ config(
    materialized=lake_incremental_materialization(),
    unique_key='transaction_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{{ delete_rows_of_removed_transactions() }}",
) }}

{#- Incremental: a build re-reconciles the transactions whose settlement match
    was (re)written since this mart last ran, and those whose payout cycle's
    expected settlement changed (its report landed) or whose cycle was paid
    without a report since (pending_settlement -> report_missing). -#}
with

transactions_joined_to_settlement_lines as (
    select * from {{ ref('int_transactions_joined_to_settlement_lines') }}
),

settlements_joined_to_groups as (
    select * from {{ ref('int_settlements_joined_to_financial_event_groups') }}
),

{% if is_incremental() -%}
last_build as (
    select {{ last_build_started_at() }} as built_at
),

transactions_to_reconcile as (
    select transactions_joined_to_settlement_lines.transaction_id
    from transactions_joined_to_settlement_lines
    cross join last_build
    where transactions_joined_to_settlement_lines._warehouse_loaded_at > last_build.built_at

    union

    select held.transaction_id
    from {{ this }} as held
    left join settlements_joined_to_groups
        on held.financial_event_group_id = settlements_joined_to_groups.financial_event_group_id
    where
        held.financial_event_group_id is not null
        and (
            held.expected_settlement_id is distinct from settlements_joined_to_groups.settlement_id
            or (held.reconciliation_status = 'report_missing')
            is distinct from coalesce(settlements_joined_to_groups.is_report_missing, false)
        )
),
{%- endif %}

transaction_types as (
    select transaction_type from {{ ref('transaction_types') }}
),

transactions as (
    select * from {{ ref('stg_spapi__transactions') }}
    where
        transaction_type in (select transaction_types.transaction_type from transaction_types)
    {% if is_incremental() %}
        and transaction_id in (select transaction_id from transactions_to_reconcile)
    {% endif %}
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
        {{ reconciliation_status(
            'settlement_id', 'settled_amount', 'net_amount', 'expected_settlement_id',
            'is_report_missing', 'is_deferred',
        ) }} as reconciliation_status
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
    {{ warehouse_loaded_at() }} as _warehouse_loaded_at
from reconciled
