{{ config(
    materialized=lake_incremental_materialization(),
    unique_key='reimbursement_line_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{{ delete_rows_of_deleted_lake_files('reimbursements') }}",
) }}

{#- Incremental, like stg_spapi__fba_returns: only lake files written since the
    last build are read; a reimbursement line re-landed in another partition
    keeps its latest extraction. -#}
with

source as (
    select * from {{ lake_source_rows('reimbursements') }}
),

renamed as (
    select
        ----------  ids
        source.reimbursement_line_id,
        source.reimbursement_id,
        source.seller_id,
        source.marketplace_id,
        source.case_id,
        source.amazon_order_id as order_id,
        source.sku,
        source.fnsku,
        source.asin,
        source.original_reimbursement_id,

        ----------  strings
        source.reason as reimbursement_reason,
        source.product_name,
        source.condition as item_condition,
        source.original_reimbursement_type,
        upper(source.currency_code) as currency_code,

        ----------  numerics
        cast(source.amount_per_unit as decimal(20, 4)) as amount_per_unit,
        cast(source.amount_total as decimal(20, 4)) as total_amount,
        source.quantity_reimbursed_cash,
        source.quantity_reimbursed_inventory,
        source.quantity_reimbursed_total,

        ----------  timestamps
        source.approved_at,

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
        'renamed', 'reimbursement_line_id',
        ['_extracted_at desc nulls last', 'approved_at desc', '_run_id desc', '_lake_file desc'],
    ) }}
)

select * from deduplicated
