with

source as (
    select * from read_parquet('/work/wt-scoring/data/run/risk_eval_dev/seed-7-120d-with-pii/risk/scores/return_risk_scores.parquet')
),

renamed as (
    select
        ----------  ids
        source.return_id,
        source.seller_id,
        source.marketplace_id,
        source.buyer_key,

        ----------  strings
        source.reason_codes,
        nullif(
    string_split(source.reason_codes, '|')[ 1 ]
, '') as reason_code_1,
        nullif(
    string_split(source.reason_codes, '|')[ 2 ]
, '') as reason_code_2,
        nullif(
    string_split(source.reason_codes, '|')[ 3 ]
, '') as reason_code_3,
        source.model_version,

        ----------  numerics
        cast(source.risk_score as decimal(9, 4)) as risk_score,
        cast(source.rules_score as decimal(9, 4)) as rules_score,
        cast(source.model_score as decimal(9, 4)) as model_score,

        ----------  timestamps
        cast(source.scored_at as timestamp with time zone) as scored_at
    from source
)

select * from renamed