{{ config(
    materialized=lake_incremental_materialization(),
    unique_key='order_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{{ delete_rows_of_deleted_lake_files('orders') }}",
) }}

{#- Incremental (read by every nightly test): only lake files written since the
    last build are read. An order lives in its purchase date's partition, where
    the lake merges its status updates, so a re-landed order replaces its row by key. -#}
with

source as (
    select * from {{ lake_source_rows('orders') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
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
        {{ to_local_date('source.purchased_at', 'marketplaces.time_zone') }}
            as purchased_local_date,

        ----------  timestamps
        source.purchased_at,
        source.last_updated_at,
        source.latest_delivery_at,

        ----------  metadata
        source._run_id,
        source.filename as _lake_file,
        source._lake_file_written_at,
        {{ warehouse_loaded_at() }} as _warehouse_loaded_at
    from source
    left join marketplaces
        on source.marketplace_id = marketplaces.marketplace_id
)

select * from renamed
