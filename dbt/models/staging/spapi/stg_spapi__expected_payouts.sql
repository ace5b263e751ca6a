{{ config(materialized='table') }}

{#- One row per expected payout snapshot: Amazon's expectation at snapshot_at
    (the server's Date header), taken by nightly runs only. The lake merges a
    snapshot by its natural key, so no dedupe is needed here. -#}
with

source as (
    select * from {{ source('spapi', 'expected_payouts') }}
),

renamed as (
    select
        ----------  ids
        seller_id,
        marketplace_id,
        settlement_id,

        ----------  strings
        account_type,
        status as expected_payout_status,
        account_tail,
        payment_method,
        upper(currency_code) as currency_code,

        ----------  numerics
        {# Null when no payout is expected (NO_PAYOUT_EXPECTED, DISABLED). #}
        cast(amount as decimal(20, 4)) as amount,

        ----------  dates
        cast(snapshot_date as date) as snapshot_date,

        ----------  timestamps
        snapshot_at,
        scheduled_at,
        period_start_at,
        period_end_at,

        ----------  metadata
        _run_id,
        _request_id
    from source
)

select * from renamed
