

with

source as (
    select * from read_parquet('/work/wt-scoring/data/run/risk_eval_dev/seed-5-120d-with-pii/lake/financial_event_groups/*/*/*/data.parquet', hive_partitioning = false, union_by_name = true, filename = true)
),

renamed as (
    select
        ----------  ids
        financial_event_group_id,
        seller_id,
        
        marketplace_id,
        trace_id,

        ----------  strings
        processing_status,
        fund_transfer_status,
        account_tail,
        upper(original_currency_code) as original_currency_code,
        upper(converted_currency_code) as converted_currency_code,
        upper(beginning_balance_currency_code) as beginning_balance_currency_code,

        ----------  numerics
        cast(original_total_amount as decimal(20, 4)) as original_total_amount,
        cast(converted_total_amount as decimal(20, 4)) as converted_total_amount,
        cast(beginning_balance_amount as decimal(20, 4)) as beginning_balance_amount,

        ----------  booleans
        processing_status = 'Closed' as is_closed,

        ----------  timestamps
        group_started_at,
        group_ended_at,
        fund_transfer_at,

        ----------  metadata
        _run_id
    from source
)

select * from renamed