with

source as (
    select * from {{ source('spapi', 'transactions') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

{#- A transaction can land twice (an overlapping lookback across a partition
    boundary): keep the latest extraction, then the latest status. -#}
latest as (
    select
        *,
        {{ try_cast("nullif(split_part(_run_id, '__', 2), '')", 'timestamp with time zone') }}
            as _extracted_at,
    from source
    qualify row_number() over (
        partition by transaction_id
        order by _extracted_at desc nulls last, posted_at desc, _run_id desc
    ) = 1
),

renamed as (
    select
        ----------  ids
        latest.transaction_id,
        latest.seller_id,
        latest.marketplace_id,
        latest.order_id,
        latest.shipment_id,
        latest.refund_id,
        latest.financial_event_group_id,
        latest.settlement_id,
        latest.deferred_transaction_id,

        ----------  strings
        latest.account_type,
        latest.transaction_type,
        latest.transaction_status,
        latest.description as transaction_description,
        upper(latest.currency_code) as currency_code,

        ----------  numerics
        cast(latest.total_amount as decimal(20, 4)) as total_amount,

        ----------  booleans
        latest.transaction_type = 'Refund' as is_refund,
        latest.transaction_status = 'DEFERRED' as is_deferred,

        ----------  dates
        {{ to_local_date('latest.posted_at', 'marketplaces.time_zone') }}
            as posted_local_date,

        ----------  timestamps
        latest.posted_at,

        ----------  metadata
        latest.payload_json,
        latest._run_id,
        latest._request_id,
        latest._extracted_at,
    from latest
    {# Lookup join to a seed for the calendar time zone only (DECISIONLOG.md). #}
    left join marketplaces
        on latest.marketplace_id = marketplaces.marketplace_id
)

select * from renamed
