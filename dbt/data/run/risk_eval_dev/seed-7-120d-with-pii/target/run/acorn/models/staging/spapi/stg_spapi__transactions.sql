
    

    create  table
      "acorn"."staging"."stg_spapi__transactions"
  
    
    as (
      

with

source as (
    select
        *,
        hash(payload_json) as payload_hash
    from (
        select
            lake_rows.*,
            lake_file_times.lake_file_written_at as _lake_file_written_at
        from read_parquet('/work/wt-scoring/data/run/risk_eval_dev/seed-7-120d-with-pii/lake/transactions/*/*/*/data.parquet', hive_partitioning = false, union_by_name = true, filename = true) as lake_rows
        inner join (select
        filename as lake_file,
        last_modified as lake_file_written_at,
    from read_blob('/work/wt-scoring/data/run/risk_eval_dev/seed-7-120d-with-pii/lake/transactions/*/*/*/data.parquet')) as lake_file_times
            on lake_rows.filename = lake_file_times.lake_file
    )
),

marketplaces as (
    select * from "acorn"."seeds"."marketplaces"
),

buyer_refund_types as (
    select transaction_type from "acorn"."seeds"."transaction_types"
    where is_buyer_refund
),



renamed as (
    select
        ----------  ids
        source.transaction_id,
        source.seller_id,
        source.marketplace_id,
        source.order_id,
        source.shipment_id,
        source.refund_id,
        source.financial_event_group_id,
        source.settlement_id,
        source.deferred_transaction_id,

        ----------  strings
        source.account_type,
        source.transaction_type,
        source.transaction_status,
        
        source.deferral_reason,
        source.description as transaction_description,
        upper(source.currency_code) as currency_code,

        ----------  numerics
        cast(source.total_amount as decimal(20, 4)) as total_amount,

        ----------  booleans
        source.transaction_type = 'Refund' as is_refund,
        
        source.transaction_type in (
            select buyer_refund_types.transaction_type from buyer_refund_types
        ) as is_buyer_refund,
        source.transaction_status = 'DEFERRED' as is_deferred,

        ----------  dates
        cast(timezone(marketplaces.time_zone, source.posted_at) as date)
            as posted_local_date,

        ----------  timestamps
        source.posted_at,
        
        source.deferral_maturity_at,

        ----------  metadata
        source._run_id,
        source._request_id,
        try_cast(nullif(split_part(split_part(source._run_id, '__', 2), '_', 1), '') as timestamp with time zone) as _extracted_at,
        source.payload_hash as _payload_hash,
        source.filename as _lake_file,
        source._lake_file_written_at,
        cast('2026-12-02T06:42:18.018842+00:00' as timestamp with time zone) as _warehouse_loaded_at
    from source
    
    
    left join marketplaces
        on source.marketplace_id = marketplaces.marketplace_id
),

deduplicated as (
    select fresh.* from (
        select * from renamed
        qualify row_number() over (
            partition by transaction_id order by _extracted_at desc nulls last, posted_at desc, _run_id desc, _lake_file desc
        ) = 1
    ) as fresh
)

select * from deduplicated
    );
    
  
  