{{ config(
    materialized=lake_incremental_materialization(),
    unique_key='settlement_line_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{{ delete_rows_of_deleted_lake_files('settlement_lines') }}",
) }}

{#- Incremental: the lake's largest source by rows. A settlement report is
    immutable and lands whole in one partition, so a line needs no dedupe:
    a re-landed report replaces its lines by key. -#}
with

source as (
    select * from {{ lake_source_written_since_last_build('settlement_lines') }}
),

lake_files as (
    {{ lake_files('settlement_lines') }}
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
        source.filename as _lake_file,
        lake_files.lake_file_written_at as _lake_file_written_at,
        {{ warehouse_loaded_at() }} as _warehouse_loaded_at
    {# inner: a file that appeared after the listing is read by the next build #}
    from source
    inner join lake_files
        on source.filename = lake_files.lake_file
)

select * from renamed
