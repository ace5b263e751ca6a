{#- Every transaction as cash: what kind of flow it is and when it reaches the
    available balance. The rule, written once (the forecast engine and the
    accuracy mart both read it): a sale that was ever deferred (it has a
    maturity date) settles at its maturity, everything else when it posts;
    buyer refunds split into refunds and claims (A-to-z, chargebacks) by the
    transaction_types seed; a type the seed does not know is `other`. -#}
with

transactions as (
    select * from {{ ref('stg_spapi__transactions') }}
),

transaction_types as (
    select * from {{ ref('transaction_types') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

currency_minor_units as (
    select * from {{ ref('currency_minor_units') }}
),

classified as (
    select
        transactions.transaction_id,
        transactions.seller_id,
        transactions.marketplace_id,
        transactions.order_id,
        transactions.currency_code,
        currency_minor_units.minor_unit_exponent,
        marketplaces.time_zone,
        marketplaces.settlement_cadence_days,
        transactions.transaction_type,
        case
            when transaction_types.transaction_type is null then 'other'
            when transaction_types.refund_kind = 'refund' then 'refund'
            when transaction_types.refund_kind is not null then 'claim'
            when transactions.deferral_maturity_at is not null then 'sale_deferred'
            else 'sale_immediate'
        end as flow_kind,
        transactions.total_amount as amount,
        transactions.posted_at,
        transactions.posted_local_date,
        coalesce(transactions.deferral_maturity_at, transactions.posted_at) as settles_at
    from transactions
    inner join marketplaces
        on transactions.marketplace_id = marketplaces.marketplace_id
    left join transaction_types
        on transactions.transaction_type = transaction_types.transaction_type
    left join currency_minor_units
        on transactions.currency_code = currency_minor_units.currency_code
)

select
    classified.*,
    {{ to_local_date('classified.settles_at', 'classified.time_zone') }} as settles_local_date
from classified
