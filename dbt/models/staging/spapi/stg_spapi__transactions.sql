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
    held for the same transaction. -#}
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

{# A transaction can land twice (an overlapping lookback across a partition
    boundary): keep the latest extraction, then the latest status. #}
latest as (
    select
        source.*,
        lake_files.lake_file_written_at,
        {{ try_cast(
            "nullif(split_part(source._run_id, '__', 2), '')",
            type_timestamp_tz(),
        ) }} as _extracted_at
    {# inner: a file that appeared after the listing is read by the next build #}
    from source
    inner join lake_files
        on source.filename = lake_files.lake_file
    qualify row_number() over (
        partition by source.transaction_id
        order by
            _extracted_at desc nulls last, source.posted_at desc,
            source._run_id desc, source.filename desc
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
        {# Money back to a buyer, whoever decided it: the seller or Amazon
           (Refund), Amazon's A-to-z Guarantee, or the card issuer (Chargeback). #}
        latest.transaction_type in ('Refund', 'GuaranteeClaim', 'Chargeback') as is_buyer_refund,
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
        latest.filename as _lake_file,
        latest.lake_file_written_at as _lake_file_written_at,
        {{ warehouse_loaded_at() }} as _warehouse_loaded_at
    {# Lookup join to a seed for the calendar time zone only (DECISIONLOG.md). #}
    from latest
    left join marketplaces
        on latest.marketplace_id = marketplaces.marketplace_id
)

{% if is_incremental() %}
{#- The same dedupe rule between the new copy and the row already held. -#}
, new_and_held as (
    select * from renamed
    union all
    select * from {{ this }}
    where transaction_id in (select transaction_id from renamed)
),

{#- Ties (the same copy read again) go to the fresh read, so a re-read file's
    rows are all re-written and downstream models pick them up. -#}
deduplicated as (
    select * from new_and_held
    qualify row_number() over (
        partition by transaction_id
        order by _extracted_at desc nulls last, posted_at desc,
            _run_id desc, _lake_file desc, _warehouse_loaded_at desc
    ) = 1
)

select * from deduplicated
{% else %}
select * from renamed
{% endif %}
