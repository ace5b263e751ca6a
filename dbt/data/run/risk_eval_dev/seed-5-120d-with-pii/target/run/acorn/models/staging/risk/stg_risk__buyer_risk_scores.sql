
  
  create view "acorn"."staging"."stg_risk__buyer_risk_scores__dbt_tmp" as (
    with

source as (
    select * from read_parquet('/work/wt-scoring/data/run/risk_eval_dev/seed-5-120d-with-pii/risk/scores/buyer_risk_scores.parquet')
),

renamed as (
    select
        ----------  ids
        source.seller_id || ':' || source.marketplace_id || ':' || source.buyer_key
            as buyer_risk_id,
        source.seller_id,
        source.marketplace_id,
        source.buyer_key,

        ----------  strings
        source.buyer_key_kind,
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
        source.returns_scored,

        ----------  timestamps
        cast(source.scored_at as timestamp with time zone) as scored_at
    from source
)

select * from renamed
  );
