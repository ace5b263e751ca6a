{{ config(
    materialized=lake_incremental_materialization(),
    unique_key='return_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{{ delete_rows_of_deleted_lake_files('fba_returns') }}",
) }}

{#- Incremental (read by nightly tests and the refund mart): only lake files
    written since the last build are read. A return is partitioned by its
    return date and Amazon re-dates returns, so one return can sit in two
    partitions: the latest extraction of it wins, as in a full refresh. -#}
with

source as (
    select * from {{ lake_source_rows('fba_returns') }}
),

renamed as (
    select
        ----------  ids
        source.return_id,
        source.seller_id,
        source.marketplace_id,
        source.order_id,
        source.sku,
        source.asin,
        source.fnsku,
        source.fulfillment_center_id,
        source.license_plate_number,

        ----------  strings
        source.product_name,
        source.detailed_disposition,
        source.reason as return_reason,
        source.status as return_status,
        source.customer_comments,

        ----------  numerics
        source.quantity as returned_quantity,

        ----------  timestamps
        source.returned_at,

        ----------  metadata
        source._run_id,
        source._request_id,
        {{ lake_extracted_at('source._run_id') }} as _extracted_at,
        source.filename as _lake_file,
        source._lake_file_written_at,
        {{ warehouse_loaded_at() }} as _warehouse_loaded_at
    from source
),

deduplicated as (
    {{ latest_row_per_key(
        'renamed', 'return_id',
        ['_extracted_at desc nulls last', 'returned_at desc', '_run_id desc', '_lake_file desc'],
    ) }}
)

select * from deduplicated
