{{ config(
    materialized=lake_incremental_materialization(),
    unique_key='return_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{{ delete_rows_of_deleted_lake_files('mfn_returns') }}",
) }}

{#- Incremental, like stg_spapi__fba_returns: only lake files written since the
    last build are read; a return request re-landed in another partition keeps
    its latest extraction. -#}
with

source as (
    select * from {{ lake_source_rows('mfn_returns') }}
),

renamed as (
    select
        ----------  ids
        source.return_id,
        source.seller_id,
        source.marketplace_id,
        source.order_id,
        source.amazon_rma_id,
        source.merchant_rma_id,
        source.tracking_id,
        source.asin,
        source.merchant_sku as sku,
        source.safet_claim_id,

        ----------  strings
        source.return_request_status,
        source.label_type,
        source.return_carrier,
        source.label_to_be_paid_by,
        source.a_to_z_claim as a_to_z_claim_status,
        source.item_name,
        source.return_reason,
        source.return_type,
        source.resolution,
        source.safet_claim_state,
        upper(source.currency_code) as currency_code,

        ----------  numerics
        cast(source.label_cost as decimal(20, 4)) as label_cost_amount,
        cast(source.order_amount as decimal(20, 4)) as order_amount,
        cast(source.refunded_amount as decimal(20, 4)) as refunded_amount,
        cast(source.safet_claim_reimbursement_amount as decimal(20, 4))
            as safet_claim_reimbursement_amount,
        source.return_quantity,
        source.order_quantity,

        ----------  booleans
        upper(source.is_prime) in ('Y', 'YES', 'TRUE') as is_prime,
        upper(source.in_policy) in ('Y', 'YES', 'TRUE') as is_in_policy,

        ----------  timestamps
        source.ordered_at,
        source.return_requested_at,
        source.return_delivered_at,

        ----------  metadata
        source._run_id,
        {{ lake_extracted_at('source._run_id') }} as _extracted_at,
        source.filename as _lake_file,
        source._lake_file_written_at,
        {{ warehouse_loaded_at() }} as _warehouse_loaded_at
    from source
),

deduplicated as (
    {{ latest_row_per_key(
        'renamed', 'return_id',
        [
            '_extracted_at desc nulls last', 'return_requested_at desc',
            '_run_id desc', '_lake_file desc',
        ],
    ) }}
)

select * from deduplicated
