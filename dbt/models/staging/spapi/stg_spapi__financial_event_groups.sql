{#- A table, not a view: the source is hundreds of small lake files, and every
    reader (the settlement-to-event-group join, the key tests) would re-read them
    all. Rebuilt in full each night, from one read. -#}
{{ config(materialized='table') }}

with

source as (
    select * from {{ source('spapi', 'financial_event_groups') }}
),

renamed as (
    select
        ----------  ids
        financial_event_group_id,
        seller_id,
        {# Groups are account-level: the lake stores 'ALL' here. #}
        marketplace_id,
        trace_id,

        ----------  strings
        processing_status,
        fund_transfer_status,
        account_tail,
        upper(original_currency_code) as original_currency_code,
        upper(converted_currency_code) as converted_currency_code,
        upper(beginning_balance_currency_code) as beginning_balance_currency_code,

        ----------  numerics
        cast(original_total_amount as decimal(20, 4)) as original_total_amount,
        cast(converted_total_amount as decimal(20, 4)) as converted_total_amount,
        cast(beginning_balance_amount as decimal(20, 4)) as beginning_balance_amount,

        ----------  booleans
        processing_status = 'Closed' as is_closed,

        ----------  timestamps
        group_started_at,
        group_ended_at,
        fund_transfer_at,

        ----------  metadata
        _run_id
    from source
)

select * from renamed
