

with

source as (
    select
        *,hash(settlement_id, line_number, seller_id, marketplace_id, transaction_type, order_id, merchant_order_id, adjustment_id, shipment_id, marketplace_name, amount_type, amount_description, amount, currency_code, fulfillment_id, order_item_code, merchant_order_item_id, merchant_adjustment_item_id, sku, quantity_purchased, promotion_id, posted_at, settlement_ended_at) as row_hash
    from (
        select
            lake_rows.*,
            lake_file_times.lake_file_written_at as _lake_file_written_at
        from read_parquet('/work/wt-scoring/data/run/risk_eval_dev/seed-5-120d-with-pii/lake/settlement_lines/*/*/*/data.parquet', hive_partitioning = false, union_by_name = true, filename = true) as lake_rows
        inner join (select
        filename as lake_file,
        last_modified as lake_file_written_at,
    from read_blob('/work/wt-scoring/data/run/risk_eval_dev/seed-5-120d-with-pii/lake/settlement_lines/*/*/*/data.parquet')) as lake_file_times
            on lake_rows.filename = lake_file_times.lake_file
    )
),



renamed as (
    select
        ----------  ids
        source.settlement_id || '-' || cast(source.line_number as string) as settlement_line_id,
        source.settlement_id,
        source.seller_id,
        source.marketplace_id,
        source.order_id,
        source.merchant_order_id,
        source.adjustment_id,
        source.shipment_id,
        source.fulfillment_id,
        source.order_item_code as order_item_id,
        source.merchant_order_item_id,
        source.merchant_adjustment_item_id as order_adjustment_item_id,
        source.promotion_id,

        ----------  strings
        source.transaction_type,
        source.amount_type,
        source.amount_description,
        source.marketplace_name,
        source.sku,
        upper(source.currency_code) as currency_code,

        ----------  numerics
        source.line_number,
        cast(source.amount as decimal(20, 4)) as amount,
        source.quantity_purchased,

        ----------  timestamps
        source.posted_at,
        source.settlement_ended_at,

        ----------  metadata
        source._run_id,
        source.row_hash as _row_hash,
        source.filename as _lake_file,
        source._lake_file_written_at,
        cast('2026-12-02T06:39:48.715731+00:00' as timestamp with time zone) as _warehouse_loaded_at
    from source
    
)

select * from renamed