{{ config(
    materialized=lake_incremental_materialization(),
    unique_key='order_line_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{{ delete_rows_of_deleted_lake_files('order_items') }}",
) }}

{#- Incremental, like stg_spapi__orders: an item lives in its order's purchase-date
    partition and a re-landed item replaces its row by key. -#}
with

source as (
    select * from {{ lake_source_rows('order_items') }}
),

renamed as (
    select
        ----------  ids
        source.amazon_order_id || '-' || source.order_item_id as order_line_id,
        source.amazon_order_id as order_id,
        source.order_item_id,
        source.seller_id,
        source.marketplace_id,
        source.asin,
        source.seller_sku as sku,

        ----------  strings
        upper(source.currency_code) as currency_code,

        ----------  numerics
        source.quantity_ordered,
        source.quantity_shipped,
        cast(source.item_price_amount as decimal(20, 4)) as item_price_amount,
        cast(source.item_tax_amount as decimal(20, 4)) as item_tax_amount,
        cast(source.shipping_price_amount as decimal(20, 4)) as shipping_price_amount,
        cast(source.promotion_discount_amount as decimal(20, 4)) as promotion_discount_amount,

        ----------  timestamps
        source.purchased_at,

        ----------  metadata
        source._run_id,
        source.filename as _lake_file,
        source._lake_file_written_at,
        {{ warehouse_loaded_at() }} as _warehouse_loaded_at
    from source
)

select * from renamed
