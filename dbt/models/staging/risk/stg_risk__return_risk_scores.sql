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

        ----------  scores and reasons (macro risk_score_columns)
        {{ risk_score_columns('source') }}
    from source
)

select * from renamed
