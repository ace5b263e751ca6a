
    

    create  table
      "acorn"."staging"."stg_spapi__fba_returns"
  
    
    as (
      with

source as (
    select * from (
        select
            lake_rows.*,
            lake_file_times.lake_file_written_at as _lake_file_written_at
        from read_parquet('/work/wt-scoring/data/run/risk_eval_dev/seed-5-120d-with-pii/lake/fba_returns/*/*/*/data.parquet', hive_partitioning = false, union_by_name = true, filename = true) as lake_rows
        inner join (select
        filename as lake_file,
        last_modified as lake_file_written_at,
    from read_blob('/work/wt-scoring/data/run/risk_eval_dev/seed-5-120d-with-pii/lake/fba_returns/*/*/*/data.parquet')) as lake_file_times
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
            partition by return_id order by _extracted_at desc nulls last, returned_at desc, _run_id desc, _lake_file desc
        ) = 1
    ) as fresh
)

select * from deduplicated
    );
    
  
  