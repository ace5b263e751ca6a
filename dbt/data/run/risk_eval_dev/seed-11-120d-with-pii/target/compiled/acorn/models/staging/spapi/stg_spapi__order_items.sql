with

source as (
    select * from (
        select
            lake_rows.*,
            lake_file_times.lake_file_written_at as _lake_file_written_at
        from read_parquet('/work/wt-scoring/data/run/risk_eval_dev/seed-11-120d-with-pii/lake/order_items/*/*/*/data.parquet', hive_partitioning = false, union_by_name = true, filename = true) as lake_rows
        inner join (select
        filename as lake_file,
        last_modified as lake_file_written_at,
    from read_blob('/work/wt-scoring/data/run/risk_eval_dev/seed-11-120d-with-pii/lake/order_items/*/*/*/data.parquet')) as lake_file_times
            on lake_rows.filename = lake_file_times.lake_file
    )
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
        cast('2026-12-02T06:44:54.373942+00:00' as timestamp with time zone) as _warehouse_loaded_at
    from source
)

select * from renamed