with

source as (
    select * from (
        select
            lake_rows.*,
            lake_file_times.lake_file_written_at as _lake_file_written_at
        from read_parquet('/work/wt-scoring/data/run/risk_eval_dev/seed-7-120d-with-pii/lake/orders/*/*/*/data.parquet', hive_partitioning = false, union_by_name = true, filename = true) as lake_rows
        inner join (select
        filename as lake_file,
        last_modified as lake_file_written_at,
    from read_blob('/work/wt-scoring/data/run/risk_eval_dev/seed-7-120d-with-pii/lake/orders/*/*/*/data.parquet')) as lake_file_times
            on lake_rows.filename = lake_file_times.lake_file
    )
),

marketplaces as (
    select * from "acorn"."seeds"."marketplaces"
),

renamed as (
    select
        ----------  ids
        source.amazon_order_id as order_id,
        source.seller_id,
        source.marketplace_id,
        source.seller_order_id,
        source.replaced_order_id,

        ----------  strings
        source.order_status,
        source.fulfillment_channel,
        source.sales_channel,
        source.order_type,
        source.buyer_email_hash,
        source.buyer_name_hash,
        source.shipping_address_hash,
        source.ship_postal_area_hash,
        source.ship_country_code,
        upper(source.currency_code) as currency_code,

        ----------  numerics
        cast(source.order_total_amount as decimal(20, 4)) as order_total_amount,
        source.items_shipped_count,
        source.items_unshipped_count,

        ----------  booleans
        source.is_prime,
        source.is_business_order,
        source.is_replacement_order,

        ----------  dates
        cast(timezone(marketplaces.time_zone, source.purchased_at) as date)
            as purchased_local_date,

        ----------  timestamps
        source.purchased_at,
        source.last_updated_at,
        source.latest_delivery_at,

        ----------  metadata
        source._run_id,
        source.filename as _lake_file,
        source._lake_file_written_at,
        cast('2026-12-02T06:42:18.018842+00:00' as timestamp with time zone) as _warehouse_loaded_at
    from source
    left join marketplaces
        on source.marketplace_id = marketplaces.marketplace_id
)

select * from renamed