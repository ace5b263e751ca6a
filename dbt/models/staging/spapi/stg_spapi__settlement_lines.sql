{{ config(
    materialized='incremental',
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
    select * from {{ source('spapi', 'settlement_lines') }}
    where {{ lake_files_written_since_last_build('settlement_lines', 'filename') }}
),

lake_files as (
    {{ lake_files('settlement_lines') }}
),

renamed as (
    select
        ----------  ids
        settlement_id || '-' || cast(line_number as varchar) as settlement_line_id,
        settlement_id,
        seller_id,
        marketplace_id,
        order_id,
        merchant_order_id,
        adjustment_id,
        shipment_id,
        fulfillment_id,
        order_item_code as order_item_id,
        merchant_order_item_id,
        merchant_adjustment_item_id as order_adjustment_item_id,
        promotion_id,

        ----------  strings
        transaction_type,
        amount_type,
        amount_description,
        marketplace_name,
        sku,
        upper(currency_code) as currency_code,

        ----------  numerics
        line_number,
        cast(amount as decimal(20, 4)) as amount,
        quantity_purchased,

        ----------  timestamps
        posted_at,
        settlement_ended_at,

        ----------  metadata
        source._run_id,
        source.filename as _lake_file,
        lake_files.lake_file_written_at as _lake_file_written_at,
    from source
    {# inner: a file that appeared after the listing is read by the next build #}
    inner join lake_files
        on source.filename = lake_files.lake_file
)

select * from renamed
