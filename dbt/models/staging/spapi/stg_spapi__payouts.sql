{#- A table, not a view, like stg_spapi__financial_event_groups: many small
    lake files, several readers. The lake merges a payout by payout_id and
    its partition (created_at) never moves, so no dedupe is needed here. -#}
{{ config(materialized='table') }}

with

source as (
    select * from {{ source('spapi', 'payouts') }}
),

renamed as (
    select
        ----------  ids
        payout_id,
        seller_id,
        marketplace_id,
        settlement_id,
        trace_id,

        ----------  strings
        account_type,
        payout_type,
        current_status,
        account_tail,
        payment_method,
        payment_rail,
        upper(currency_code) as currency_code,

        ----------  numerics
        {# Null for a NO_PAYOUT payout: there was nothing to pay. #}
        cast(amount as decimal(20, 4)) as amount,

        ----------  booleans
        current_status = 'NO_PAYOUT' as is_no_payout,

        ----------  timestamps
        period_start_at,
        period_end_at,
        created_at,
        last_status_at,

        ----------  metadata
        _run_id,
        _request_id
    from source
)

select * from renamed
