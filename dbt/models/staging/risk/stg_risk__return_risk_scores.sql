{#- One row per scored return, from the scoring task's file. Scores are floats in
    the file (probabilities, not money): decimal(9,4) here, as the marts carry them. -#}
with

source as (
    select * from {{ source('risk', 'return_risk_scores') }}
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
        nullif({{ dbt.split_part('source.reason_codes', "'|'", 1) }}, '') as reason_code_1,
        nullif({{ dbt.split_part('source.reason_codes', "'|'", 2) }}, '') as reason_code_2,
        nullif({{ dbt.split_part('source.reason_codes', "'|'", 3) }}, '') as reason_code_3,
        source.model_version,

        ----------  numerics
        cast(source.risk_score as decimal(9, 4)) as risk_score,
        cast(source.rules_score as decimal(9, 4)) as rules_score,
        cast(source.model_score as decimal(9, 4)) as model_score,

        ----------  timestamps
        cast(source.scored_at as {{ type_timestamp_tz() }}) as scored_at
    from source
)

select * from renamed
