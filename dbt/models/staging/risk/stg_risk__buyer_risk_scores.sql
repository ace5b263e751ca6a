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

        ----------  numerics
        source.returns_scored,

        ----------  scores and reasons (macro risk_score_columns)
        {{ risk_score_columns('source') }}
    from source
)

select * from renamed
