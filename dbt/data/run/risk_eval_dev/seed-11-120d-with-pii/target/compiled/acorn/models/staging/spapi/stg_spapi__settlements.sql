

with

source as (
    select * from read_parquet('/work/wt-scoring/data/run/risk_eval_dev/seed-11-120d-with-pii/lake/settlements/*/*/*/data.parquet', hive_partitioning = false, union_by_name = true, filename = true)
),

renamed as (
    select
        ----------  ids
        settlement_id,
        seller_id,
        marketplace_id,
        report_id,
        report_document_id,

        ----------  strings
        upper(currency_code) as currency_code,

        ----------  numerics
        cast(total_amount as decimal(20, 4)) as total_amount,
        line_count,

        ----------  timestamps
        settlement_started_at,
        settlement_ended_at,
        deposited_at,

        ----------  metadata
        _run_id
    from source
)

select * from renamed