{#- One row per buyer key with a return (int_buyer_risk_features, as of the
    build's as_of) with its risk score from the scoring task
    (stg_risk__buyer_risk_scores; null while unscored) and its refunds of the
    last 365 days in the reporting currency at the fx_rates seed rate in force
    on the as_of date. -#}
with

features as (
    select * from {{ ref('int_buyer_risk_features') }}
),

scores as (
    select * from {{ ref('stg_risk__buyer_risk_scores') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

as_of as (
    select
        as_of_at,
        {{ to_local_date('as_of_at', "'UTC'") }} as as_of_date
    from {{ ref('int_as_of') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates') }}
)

select
    features.buyer_risk_id,
    features.seller_id,
    features.marketplace_id,
    marketplaces.marketplace_code,
    features.buyer_key,
    features.buyer_key_kind,
    features.order_count,
    features.return_count,
    features.returns_90d,
    features.returns_365d,
    features.refund_amount_365d,
    features.currency_code,
    {{ to_reporting_amount(
        'features.refund_amount_365d', 'fx_rates.fx_rate',
        'fx_rates.reporting_minor_unit_exponent',
    ) }} as reporting_refund_amount_365d,
    coalesce(fx_rates.reporting_currency_code, '{{ var("reporting_currency", "CNY") }}')
        as reporting_currency_code,
    scores.risk_score,
    scores.rules_score,
    scores.model_score,
    {{ risk_band('scores.risk_score') }} as risk_band,
    scores.reason_code_1,
    scores.reason_code_2,
    scores.reason_code_3,
    features.last_return_at,
    scores.model_version,
    scores.scored_at
from features
cross join as_of
left join scores
    on features.buyer_risk_id = scores.buyer_risk_id
left join marketplaces
    on features.marketplace_id = marketplaces.marketplace_id
left join fx_rates
    on
        features.currency_code = fx_rates.from_currency_code
        and as_of.as_of_date >= fx_rates.valid_from
        and (fx_rates.valid_to is null or as_of.as_of_date < fx_rates.valid_to)
