{{ config(
    materialized=lake_incremental_materialization(),
    unique_key='transaction_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{{ delete_rows_of_removed_transactions() }}",
) }}

{#- Built on stg_spapi__transactions so the dedupe rule is applied once: the
    JSON payload is read from the lake file of the copy staging kept (same file,
    same run id), and only transactions (re)written by this build's staging run
    are flattened again (JSON parsing is the warehouse's most expensive step). -#}
{%- set files_of_transactions_loaded_since_last_build -%}
    select _lake_file
    from {{ ref('stg_spapi__transactions') }}
    where _warehouse_loaded_at > {{ last_build_started_at() }}
{%- endset -%}
{%- set lake_transactions = lake_source_files(
    'transactions', files_of_transactions_loaded_since_last_build
) %}

with

{# Shipments and buyer refunds: the types a settlement prints (transaction_types seed). #}
transaction_types as (
    select transaction_type from {{ ref('transaction_types') }}
),

transactions as (
    select
        transaction_id,
        seller_id,
        marketplace_id,
        order_id,
        refund_id,
        transaction_type,
        currency_code,
        posted_local_date,
        posted_at,
        _run_id,
        _lake_file,
        _warehouse_loaded_at
    from {{ ref('stg_spapi__transactions') }}
    where transaction_type in (select transaction_types.transaction_type from transaction_types)
    {% if is_incremental() %}
        and _warehouse_loaded_at > {{ last_build_started_at() }}
    {% endif %}
),

payloads as (
    select
        transaction_id,
        _run_id,
        filename as _lake_file,
        payload_json
    from {{ lake_transactions }}
),

{# inner: a copy gone from its file (rewritten since staging read it) loses its
   breakdowns, which the transactions-equal-breakdowns test reports #}
transactions_with_payload as (
    select
        transactions.*,
        payloads.payload_json
    from transactions
    inner join payloads
        on
            transactions.transaction_id = payloads.transaction_id
            and transactions._lake_file = payloads._lake_file
            and transactions._run_id = payloads._run_id
),

flattened as (
    select *
    from {{ flatten_transaction_item_breakdowns('transactions_with_payload') }} as breakdown_rows
),

renamed as (
    select
        ----------  ids
        {{ dbt.hash(dbt.concat([
            'transaction_id', "'|'",
            'cast(item_index as string)', "'|'",
            'breakdown_path',
        ])) }} as transaction_breakdown_id,
        transaction_id,
        seller_id,
        marketplace_id,
        order_id,
        refund_id,
        order_adjustment_item_id,

        ----------  strings
        transaction_type,
        item_sku as sku,
        item_asin as asin,
        breakdown_bucket,
        breakdown_type,
        breakdown_path,
        coalesce(breakdown_currency_code, currency_code) as currency_code,

        ----------  numerics
        item_index,
        item_quantity,
        cast(amount_text as decimal(20, 4)) as amount,

        ----------  dates
        posted_local_date,

        ----------  timestamps
        posted_at,

        ----------  metadata
        _warehouse_loaded_at
    from flattened
)

select * from renamed
