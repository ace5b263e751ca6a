{#- Every past forecast against what happened (rolling origin): one row per
    seller, marketplace, currency, origin day, measure and horizon, once the
    measured day is complete at the build's as-of instant. Measures:
      net_flow    what reached the available balance on the day (by settles_local_date)
      refund      refunds posted on the day
      refund_28d  refunds over the 28 days of the forecast (horizon 28)
      payout      the payout at the k-th settlement close after the origin, against the
                  k-th period that actually closed after it: what Transfers paid for it
                  (listPayouts, failed or cancelled payouts not counted, NO_PAYOUT 0)
                  where the marketplace has Transfers, else its total (0 when negative);
                  a period whose failed payout waits to be re-sent is not scored yet
    error = forecast - realised; is_within_interval scores the forecast's interval
    (the engine's rolling conformal one, acorn.cashflow.calibration). -#}
with

forecast_days as (
    select * from {{ ref('stg_cashflow__forecast_days') }}
),

postings as (
    select * from {{ ref('int_cashflow_postings') }}
),

realised_payouts as (
    select * from {{ ref('int_cashflow_realised_payouts') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

as_of as (
    select as_of_at from {{ ref('int_as_of') }}
),

{# The first local day not complete at the as-of instant, per marketplace. #}
complete_before as (
    select
        marketplaces.marketplace_id,
        {{ to_local_date('as_of.as_of_at', 'marketplaces.time_zone') }} as local_date
    from marketplaces
    cross join as_of
),

flows as (
    select
        seller_id,
        marketplace_id,
        currency_code,
        settles_local_date as local_date,
        amount as net_flow_amount,
        0 as refund_amount
    from postings
    union all
    select
        seller_id,
        marketplace_id,
        currency_code,
        posted_local_date as local_date,
        0 as net_flow_amount,
        amount as refund_amount
    from postings
    where flow_kind = 'refund'
),

realised_days as (
    select
        seller_id,
        marketplace_id,
        currency_code,
        local_date,
        sum(net_flow_amount) as net_flow_amount,
        sum(refund_amount) as refund_amount
    from flows
    group by 1, 2, 3, 4
),

complete_forecast_days as (
    select
        forecast_days.*,
        coalesce(realised_days.net_flow_amount, 0) as realised_net_flow_amount,
        coalesce(realised_days.refund_amount, 0) as realised_refund_amount
    from forecast_days
    inner join complete_before
        on
            forecast_days.marketplace_id = complete_before.marketplace_id
            and forecast_days.forecast_date < complete_before.local_date
    left join realised_days
        on
            forecast_days.seller_id = realised_days.seller_id
            and forecast_days.marketplace_id = realised_days.marketplace_id
            and forecast_days.currency_code = realised_days.currency_code
            and forecast_days.forecast_date = realised_days.local_date
),

daily_measures as (
    select
        seller_id,
        marketplace_id,
        currency_code,
        origin_date,
        forecast_date,
        horizon_days,
        'net_flow' as measure,
        cast(null as integer) as payout_sequence,
        expected_net_flow_amount as forecast_amount,
        net_flow_lower_amount as lower_amount,
        net_flow_upper_amount as upper_amount,
        realised_net_flow_amount as realised_amount
    from complete_forecast_days
    union all
    select
        seller_id,
        marketplace_id,
        currency_code,
        origin_date,
        forecast_date,
        horizon_days,
        'refund' as measure,
        cast(null as integer) as payout_sequence,
        expected_refund_amount as forecast_amount,
        refund_lower_amount as lower_amount,
        refund_upper_amount as upper_amount,
        realised_refund_amount as realised_amount
    from complete_forecast_days
),

{# 28 complete days: the origin's whole horizon has happened; the forecast and
   its interval are the engine's cumulative refunds on horizon 28. #}
refund_28d_realised as (
    select
        seller_id,
        marketplace_id,
        currency_code,
        origin_date,
        sum(realised_refund_amount) as realised_amount
    from complete_forecast_days
    group by 1, 2, 3, 4
    having count(*) = 28
),

refund_28d as (
    select
        complete_forecast_days.seller_id,
        complete_forecast_days.marketplace_id,
        complete_forecast_days.currency_code,
        complete_forecast_days.origin_date,
        complete_forecast_days.forecast_date,
        complete_forecast_days.horizon_days,
        'refund_28d' as measure,
        cast(null as integer) as payout_sequence,
        complete_forecast_days.cumulative_refund_amount as forecast_amount,
        complete_forecast_days.cumulative_refund_lower_amount as lower_amount,
        complete_forecast_days.cumulative_refund_upper_amount as upper_amount,
        refund_28d_realised.realised_amount
    from complete_forecast_days
    inner join refund_28d_realised
        on
            complete_forecast_days.seller_id = refund_28d_realised.seller_id
            and complete_forecast_days.marketplace_id = refund_28d_realised.marketplace_id
            and complete_forecast_days.currency_code = refund_28d_realised.currency_code
            and complete_forecast_days.origin_date = refund_28d_realised.origin_date
    where complete_forecast_days.horizon_days = 28
),

{# The k-th period that closed after each origin, as of the build. #}
closes_after_origin as (
    select
        origins.seller_id,
        origins.marketplace_id,
        origins.currency_code,
        origins.origin_date,
        realised_payouts.group_ended_at,
        realised_payouts.payout_amount,
        row_number() over (
            partition by
                origins.seller_id,
                origins.marketplace_id,
                origins.currency_code,
                origins.origin_date
            order by realised_payouts.group_ended_at
        ) as payout_sequence
    from (
        select distinct
            seller_id,
            marketplace_id,
            currency_code,
            origin_date,
            origin_at
        from forecast_days
    ) as origins
    inner join realised_payouts
        on
            origins.seller_id = realised_payouts.seller_id
            and origins.marketplace_id = realised_payouts.marketplace_id
            and origins.currency_code = realised_payouts.currency_code
            and origins.origin_at < realised_payouts.group_ended_at
    cross join as_of
    where realised_payouts.group_ended_at <= as_of.as_of_at
),

payout_measures as (
    select
        forecast_days.seller_id,
        forecast_days.marketplace_id,
        forecast_days.currency_code,
        forecast_days.origin_date,
        forecast_days.forecast_date,
        forecast_days.horizon_days,
        'payout' as measure,
        forecast_days.payout_sequence,
        forecast_days.expected_payout_amount as forecast_amount,
        coalesce(forecast_days.payout_lower_amount, 0) as lower_amount,
        coalesce(forecast_days.payout_upper_amount, 0) as upper_amount,
        closes_after_origin.payout_amount as realised_amount
    from forecast_days
    inner join closes_after_origin
        on
            forecast_days.seller_id = closes_after_origin.seller_id
            and forecast_days.marketplace_id = closes_after_origin.marketplace_id
            and forecast_days.currency_code = closes_after_origin.currency_code
            and forecast_days.origin_date = closes_after_origin.origin_date
            and forecast_days.payout_sequence = closes_after_origin.payout_sequence
    where closes_after_origin.payout_amount is not null
),

measured as (
    select * from daily_measures
    union all
    select * from refund_28d
    union all
    select * from payout_measures
)

select
    seller_id,
    marketplace_id,
    currency_code,
    origin_date as forecast_origin_date,
    forecast_date,
    horizon_days,
    measure,
    payout_sequence,
    cast(forecast_amount as decimal(20, 4)) as forecast_amount,
    cast(lower_amount as decimal(20, 4)) as lower_amount,
    cast(upper_amount as decimal(20, 4)) as upper_amount,
    cast(realised_amount as decimal(20, 4)) as realised_amount,
    cast(forecast_amount - realised_amount as decimal(20, 4)) as error_amount,
    cast(abs(forecast_amount - realised_amount) as decimal(20, 4)) as absolute_error_amount,
    realised_amount between lower_amount and upper_amount as is_within_interval
from measured
