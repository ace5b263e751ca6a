{{ config(
    materialized=lake_incremental_materialization(),
    unique_key='transaction_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{{ delete_rows_of_deleted_lake_files('transactions') }}",
) }}

{#- Incremental (the lake's largest source; the JSON payload is carried once
    here and flattened downstream): only lake files written since the last
    build are read, and their rows are re-deduplicated against the row already
    held for the same transaction. A transaction can land twice (an
    overlapping lookback across a partition boundary): the latest extraction
    wins, then the latest status. -#}
with

source as (
    select * from {{ lake_source_written_since_last_build('transactions') }}
),

lake_files as (
    {{ lake_files('transactions') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

renamed as (
    select
        ----------  ids
        source.transaction_id,
        source.seller_id,
        source.marketplace_id,
        source.order_id,
        source.shipment_id,
        source.refund_id,
        source.financial_event_group_id,
        source.settlement_id,
        source.deferred_transaction_id,

        ----------  strings
        source.account_type,
        source.transaction_type,
        source.transaction_status,
        source.description as transaction_description,
        upper(source.currency_code) as currency_code,

        ----------  numerics
        cast(source.total_amount as decimal(20, 4)) as total_amount,

        ----------  booleans
        source.transaction_type = 'Refund' as is_refund,
        {# Money back to a buyer, whoever decided it: the seller or Amazon
           (Refund), Amazon's A-to-z Guarantee, or the card issuer (Chargeback). #}
        source.transaction_type in ('Refund', 'GuaranteeClaim', 'Chargeback') as is_buyer_refund,
        source.transaction_status = 'DEFERRED' as is_deferred,

        ----------  dates
        {{ to_local_date('source.posted_at', 'marketplaces.time_zone') }}
            as posted_local_date,

        ----------  timestamps
        source.posted_at,

        ----------  metadata
        source.payload_json,
        source._run_id,
        source._request_id,
        {{ lake_extracted_at('source._run_id') }} as _extracted_at,
        source.filename as _lake_file,
        lake_files.lake_file_written_at as _lake_file_written_at,
        {{ warehouse_loaded_at() }} as _warehouse_loaded_at
    {# inner: a file that appeared after the listing is read by the next build #}
    from source
    inner join lake_files
        on source.filename = lake_files.lake_file
    {# Lookup join to a seed for the calendar time zone only (DECISIONLOG.md). #}
    left join marketplaces
        on source.marketplace_id = marketplaces.marketplace_id
),

deduplicated as (
    {{ latest_row_per_key(
        'renamed', 'transaction_id',
        ['_extracted_at desc nulls last', 'posted_at desc', '_run_id desc', '_lake_file desc'],
    ) }}
)

select * from deduplicated
