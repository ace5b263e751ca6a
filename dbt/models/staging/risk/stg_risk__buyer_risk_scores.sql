{#- One row per scored buyer key (seller, marketplace, buyer_key), from the
    scoring task's file; scores as decimal(9,4). -#}
with

source as (
    select * from {{ source('risk', 'buyer_risk_scores') }}
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
        nullif({{ dbt.split_part('source.reason_codes', "'|'", 1) }}, '') as reason_code_1,
        nullif({{ dbt.split_part('source.reason_codes', "'|'", 2) }}, '') as reason_code_2,
        nullif({{ dbt.split_part('source.reason_codes', "'|'", 3) }}, '') as reason_code_3,
        source.model_version,

        ----------  numerics
        cast(source.risk_score as decimal(9, 4)) as risk_score,
        cast(source.rules_score as decimal(9, 4)) as rules_score,
        cast(source.model_score as decimal(9, 4)) as model_score,
        source.returns_scored,

        ----------  timestamps
        cast(source.scored_at as {{ type_timestamp_tz() }}) as scored_at
    from source
)

select * from renamed
