{#- Built on stg_spapi__transactions so the dedupe rule is applied once. -#}
with

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
        payload_json,
    from {{ ref('stg_spapi__transactions') }}
    where transaction_type in ('Refund', 'Shipment')
),

flattened as (
    select * from {{ flatten_transaction_item_breakdowns('transactions') }} as breakdown_rows
),

renamed as (
    select
        ----------  ids
        {{ dbt.hash(dbt.concat([
            'transaction_id', "'|'",
            'cast(item_index as varchar)', "'|'",
            'breakdown_bucket', "'/'", 'breakdown_type',
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
        breakdown_bucket || '/' || breakdown_type as breakdown_path,
        coalesce(breakdown_currency_code, currency_code) as currency_code,

        ----------  numerics
        item_index,
        item_quantity,
        cast(amount_text as decimal(20, 4)) as amount,

        ----------  dates
        posted_local_date,

        ----------  timestamps
        posted_at,
    from flattened
)

select * from renamed
