{#- One row per forecast day of every origin, from the forecasting task's file.
    Amounts are exact decimals in the row's currency (the engine works in minor
    units and rounds its statistical part half away from zero). -#}
with

source as (
    select * from {{ source('cashflow', 'cashflow_forecast_days') }}
),

renamed as (
    select
        ----------  ids
        source.seller_id,
        source.marketplace_id,
        source.currency_code,
        cast(source.origin_date as date) as origin_date,
        cast(source.forecast_date as date) as forecast_date,
        cast(source.horizon_days as integer) as horizon_days,

        ----------  settlement schedule
        source.origin_at,
        source.open_period_started_at,
        cast(source.cycle_days as integer) as cycle_days,
        source.settlement_close_at,
        cast(source.payout_sequence as integer) as payout_sequence,
        source.payout_status,

        ----------  amounts
        source.opening_available_amount,
        source.known_release_amount,
        source.expected_sales_amount,
        source.expected_refund_amount,
        source.refund_lower_amount,
        source.refund_upper_amount,
        source.cumulative_refund_amount,
        source.cumulative_refund_lower_amount,
        source.cumulative_refund_upper_amount,
        source.expected_claim_amount,
        source.expected_other_amount,
        source.expected_net_flow_amount,
        source.net_flow_lower_amount,
        source.net_flow_upper_amount,
        source.projected_available_amount,
        source.expected_payout_amount,
        source.payout_lower_amount,
        source.payout_upper_amount,
        cast(source.interval_level_percent as integer) as interval_level_percent,

        ----------  model
        source.model_name
    from source
)

select * from renamed
