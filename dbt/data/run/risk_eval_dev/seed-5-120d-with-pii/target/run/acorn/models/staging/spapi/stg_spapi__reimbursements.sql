
    

    create  table
      "acorn"."staging"."stg_spapi__reimbursements"
  
    
    as (
      with

source as (
    select * from (
        select
            lake_rows.*,
            lake_file_times.lake_file_written_at as _lake_file_written_at
        from read_parquet('/work/wt-scoring/data/run/risk_eval_dev/seed-5-120d-with-pii/lake/reimbursements/*/*/*/data.parquet', hive_partitioning = false, union_by_name = true, filename = true) as lake_rows
        inner join (select
        filename as lake_file,
        last_modified as lake_file_written_at,
    from read_blob('/work/wt-scoring/data/run/risk_eval_dev/seed-5-120d-with-pii/lake/reimbursements/*/*/*/data.parquet')) as lake_file_times
            on lake_rows.filename = lake_file_times.lake_file
    )
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
        try_cast(nullif(split_part(split_part(source._run_id, '__', 2), '_', 1), '') as timestamp with time zone) as _extracted_at,
        source.filename as _lake_file,
        source._lake_file_written_at,
        cast('2026-12-02T06:39:48.715731+00:00' as timestamp with time zone) as _warehouse_loaded_at
    from source
),

deduplicated as (
    select fresh.* from (
        select * from renamed
        qualify row_number() over (
            partition by reimbursement_line_id order by _extracted_at desc nulls last, approved_at desc, _run_id desc, _lake_file desc
        ) = 1
    ) as fresh
)

select * from deduplicated
    );
    
  
  