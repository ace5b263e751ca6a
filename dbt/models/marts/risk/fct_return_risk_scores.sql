{#- One row per return of int_return_risk_features with its risk score from the
    scoring task (stg_risk__return_risk_scores; null scores while unscored) and
    its refund in the reporting currency at the fx_rates seed rate in force on
    the return's local date. -#}
with

features as (
    select * from {{ ref('int_return_risk_features') }}
),

scores as (
    select * from {{ ref('stg_risk__return_risk_scores') }}
),

seller_product_names as (
    select * from {{ ref('seller_product_names') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates') }}
)

select
    features.return_id,
    features.seller_id,
    features.marketplace_id,
    features.marketplace_code,
    features.order_id,
    features.sku,
    seller_product_names.seller_product_name,
    features.buyer_key,
    features.buyer_key_kind,
    features.fulfillment_channel,
    features.return_reason,
    features.return_disposition,
    features.return_status,
    features.event_at,
    features.event_local_date,
    cast(features.refund_amount as decimal(20, 4)) as refund_amount,
    features.currency_code,
    {{ to_reporting_amount(
        'features.refund_amount', 'fx_rates.fx_rate', 'fx_rates.reporting_minor_unit_exponent'
    ) }} as reporting_refund_amount,
    coalesce(fx_rates.reporting_currency_code, '{{ var("reporting_currency", "CNY") }}')
        as reporting_currency_code,
    scores.risk_score,
    scores.rules_score,
    scores.model_score,
    {{ risk_band('scores.risk_score') }} as risk_band,
    scores.reason_code_1,
    scores.reason_code_2,
    scores.reason_code_3,
    scores.model_version,
    scores.scored_at
from features
left join scores
    on features.return_id = scores.return_id
left join seller_product_names
    on
        features.seller_id = seller_product_names.seller_id
        and features.sku = seller_product_names.sku
left join fx_rates
    on
        features.currency_code = fx_rates.from_currency_code
        and features.event_local_date >= fx_rates.valid_from
        and (fx_rates.valid_to is null or features.event_local_date < fx_rates.valid_to)
