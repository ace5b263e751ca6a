{{ config(
    materialized=lake_incremental_materialization(),
    unique_key='transaction_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{{ delete_rows_of_deleted_lake_files('transactions') }}",
) }}

{#- Incremental (the lake's largest source): only lake files written since the
    last build are read, and their rows are re-deduplicated against the row
    already held for the same transaction. A transaction can land twice (an
    overlapping lookback across a partition boundary): the latest extraction
    wins, then the latest status. The JSON payload stays in the lake:
    stg_spapi__transaction_breakdowns reads it from the file (_lake_file) of
    the copy kept here. Held here it was 2.9 KB a row, and every night's
    delete+insert made DuckDB rewrite the table's payload at checkpoint. -#}
{%- set loaded_at = warehouse_loaded_at() -%}
{%- if is_incremental() -%}
{%- set loaded_at = 'coalesce(held._warehouse_loaded_at, ' ~ loaded_at ~ ')' -%}
{%- endif %}

with

source as (
    select
        *,
        {{ row_hash(['payload_json']) }} as payload_hash
    from {{ lake_source_rows('transactions') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

buyer_refund_types as (
    select transaction_type from {{ ref('transaction_types') }}
    where is_buyer_refund
),

{% if is_incremental() %}
{#- The rows held for the transactions just read: a re-landed copy identical to
    its held row (same payload, same lake file) keeps the held row's load time,
    so the models built on this one, which re-process rows loaded since their
    last build, leave it be. Most of a night's 3-day lookback is such copies. -#}
held as (
    select
        transaction_id,
        _payload_hash,
        _lake_file,
        _warehouse_loaded_at
    from {{ this }}
    where transaction_id in (select source.transaction_id from source)
),
{% endif %}

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
        {# DeferredContext.deferralReason (DD7 delivery-date policy, B2B invoiced orders). #}
        source.deferral_reason,
        source.description as transaction_description,
        upper(source.currency_code) as currency_code,

        ----------  numerics
        cast(source.total_amount as decimal(20, 4)) as total_amount,

        ----------  booleans
        source.transaction_type = 'Refund' as is_refund,
        {# Money back to a buyer, whoever decided it (the transaction_types seed). #}
        source.transaction_type in (
            select buyer_refund_types.transaction_type from buyer_refund_types
        ) as is_buyer_refund,
        source.transaction_status = 'DEFERRED' as is_deferred,

        ----------  dates
        {{ to_local_date('source.posted_at', 'marketplaces.time_zone') }}
            as posted_local_date,

        ----------  timestamps
        source.posted_at,
        {# DeferredContext.maturityDate: when Amazon releases a deferred transaction. #}
        source.deferral_maturity_at,

        ----------  metadata
        source._run_id,
        source._request_id,
        {{ lake_extracted_at('source._run_id') }} as _extracted_at,
        source.payload_hash as _payload_hash,
        source.filename as _lake_file,
        source._lake_file_written_at,
        {{ loaded_at }} as _warehouse_loaded_at
    from source
    {% if is_incremental() %}
    left join held
        on
            source.transaction_id = held.transaction_id
            and source.payload_hash = held._payload_hash
            and source.filename = held._lake_file
    {% endif %}
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
