
    

    create  table
      "acorn"."staging"."stg_spapi__mfn_returns"
  
    
    as (
      with

source as (
    select * from (
        select
            lake_rows.*,
            lake_file_times.lake_file_written_at as _lake_file_written_at
        from read_parquet('/work/wt-scoring/data/run/risk_eval_dev/seed-5-120d-with-pii/lake/mfn_returns/*/*/*/data.parquet', hive_partitioning = false, union_by_name = true, filename = true) as lake_rows
        inner join (select
        filename as lake_file,
        last_modified as lake_file_written_at,
    from read_blob('/work/wt-scoring/data/run/risk_eval_dev/seed-5-120d-with-pii/lake/mfn_returns/*/*/*/data.parquet')) as lake_file_times
            on lake_rows.filename = lake_file_times.lake_file
    )
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
            partition by return_id order by _extracted_at desc nulls last, return_requested_at desc, _run_id desc, _lake_file desc
        ) = 1
    ) as fresh
)

select * from deduplicated
    );
    
  
  