{%- set reporting_currency = var("reporting_currency", "CNY") %}
{#- The latest night's 28-day forecast per seller, marketplace and currency, with
    its amounts in the reporting currency. The conversion uses the rate Amazon
    applied to the marketplace's latest payout converted before the origin (what
    the next conversion will most likely be), else the fx_rates seed rate in force
    on the origin day (macros/fx.sql). -#}
with

forecast_days as (
    select * from {{ ref('stg_cashflow__forecast_days') }}
),

financial_event_groups as (
    select * from {{ ref('stg_spapi__financial_event_groups') }}
),

applied_fx_rates as (
    select * from {{ ref('int_financial_event_groups_fx_applied') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates') }}
),

currency_minor_units as (
    select * from {{ ref('currency_minor_units') }}
),

cash_balances as (
    select * from {{ ref('fct_cash_balances') }}
),

latest_origins as (
    select
        seller_id,
        marketplace_id,
        currency_code,
        max(origin_date) as origin_date
    from forecast_days
    group by 1, 2, 3
),

latest as (
    select forecast_days.*
    from forecast_days
    inner join latest_origins
        on
            forecast_days.seller_id = latest_origins.seller_id
            and forecast_days.marketplace_id = latest_origins.marketplace_id
            and forecast_days.currency_code = latest_origins.currency_code
            and forecast_days.origin_date = latest_origins.origin_date
),

{# The account-level reserve Amazon held when the forecast was made (the ending
   balance of the night before the origin, every account type of the marketplace).
   It is held as it is over the 28 days: Amazon publishes no release date. #}
reserve_at_origin as (
    select
        latest_origins.seller_id,
        latest_origins.marketplace_id,
        latest_origins.currency_code,
        sum(cash_balances.amazon_account_level_reserve_amount) as account_level_reserve_amount
    from latest_origins
    inner join cash_balances
        on
            latest_origins.seller_id = cash_balances.seller_id
            and latest_origins.marketplace_id = cash_balances.marketplace_id
            and latest_origins.currency_code = cash_balances.currency_code
            and cash_balances.as_of_local_date
            = cast({{ dbt.dateadd('day', -1, 'latest_origins.origin_date') }} as date)
    group by 1, 2, 3
),

{# Amazon's rate on each converted payout of a marketplace, ranked newest first
   among those transferred before the forecast's origin. #}
applied_before_origin as (
    select
        latest_origins.seller_id,
        latest_origins.marketplace_id,
        latest_origins.currency_code,
        applied_fx_rates.applied_fx_rate,
        row_number() over (
            partition by
                latest_origins.seller_id,
                latest_origins.marketplace_id,
                latest_origins.currency_code
            order by
                financial_event_groups.fund_transfer_at desc,
                financial_event_groups.financial_event_group_id asc
        ) as recency
    from latest_origins
    inner join financial_event_groups
        on
            latest_origins.seller_id = financial_event_groups.seller_id
            and latest_origins.marketplace_id = financial_event_groups.marketplace_id
            and latest_origins.currency_code = financial_event_groups.original_currency_code
    inner join applied_fx_rates
        on
            financial_event_groups.financial_event_group_id
            = applied_fx_rates.financial_event_group_id
    inner join forecast_days
        on
            latest_origins.seller_id = forecast_days.seller_id
            and latest_origins.marketplace_id = forecast_days.marketplace_id
            and latest_origins.currency_code = forecast_days.currency_code
            and latest_origins.origin_date = forecast_days.origin_date
            and forecast_days.horizon_days = 1
    where financial_event_groups.fund_transfer_at < forecast_days.origin_at
),

rated as (
    select
        latest.*,
        reserve_at_origin.account_level_reserve_amount,
        {{ fx_rate_columns(
            'applied_before_origin.applied_fx_rate', 'fx_rates.fx_rate', 'fx_rates.valid_from',
            'latest.origin_date',
        ) }},
        currency_minor_units.minor_unit_exponent as reporting_minor_unit_exponent
    from latest
    left join reserve_at_origin
        on
            latest.seller_id = reserve_at_origin.seller_id
            and latest.marketplace_id = reserve_at_origin.marketplace_id
            and latest.currency_code = reserve_at_origin.currency_code
    left join applied_before_origin
        on
            latest.seller_id = applied_before_origin.seller_id
            and latest.marketplace_id = applied_before_origin.marketplace_id
            and latest.currency_code = applied_before_origin.currency_code
            and applied_before_origin.recency = 1
    left join fx_rates
        on
            latest.currency_code = fx_rates.from_currency_code
            and latest.origin_date >= fx_rates.valid_from
            and (fx_rates.valid_to is null or latest.origin_date < fx_rates.valid_to)
    left join currency_minor_units
        on currency_minor_units.currency_code = '{{ reporting_currency }}'
)

select
    ----------  ids
    seller_id,
    marketplace_id,
    currency_code,
    forecast_date,
    horizon_days,
    origin_date as forecast_origin_date,
    origin_at as forecast_origin_at,

    ----------  settlement schedule
    open_period_started_at,
    cycle_days,
    settlement_close_at,
    settlement_close_at is not null as is_settlement_close,
    payout_sequence,
    payout_status,

    ----------  amounts (currency_code)
    opening_available_amount,
    known_release_amount,
    expected_sales_amount,
    expected_refund_amount,
    refund_lower_amount,
    refund_upper_amount,
    cumulative_refund_amount,
    cumulative_refund_lower_amount,
    cumulative_refund_upper_amount,
    expected_claim_amount,
    expected_other_amount,
    expected_net_flow_amount,
    net_flow_lower_amount,
    net_flow_upper_amount,
    projected_available_amount,
    cast(account_level_reserve_amount as decimal(20, 4)) as account_level_reserve_amount,
    expected_payout_amount,
    payout_lower_amount,
    payout_upper_amount,
    interval_level_percent,

    ----------  reporting currency
    '{{ reporting_currency }}' as reporting_currency_code,
    fx_rate,
    fx_rate_source,
    fx_rate_date,
    is_fx_rate_stale,
    {{ to_reporting_amount(
        'expected_net_flow_amount', 'fx_rate', 'reporting_minor_unit_exponent',
    ) }}
        as expected_net_flow_reporting_amount,
    {{ to_reporting_amount('expected_refund_amount', 'fx_rate', 'reporting_minor_unit_exponent') }}
        as expected_refund_reporting_amount,
    {{ to_reporting_amount(
        'cumulative_refund_amount', 'fx_rate', 'reporting_minor_unit_exponent',
    ) }}
        as cumulative_refund_reporting_amount,
    {{ to_reporting_amount(
        'projected_available_amount', 'fx_rate', 'reporting_minor_unit_exponent',
    ) }}
        as projected_available_reporting_amount,
    {{ to_reporting_amount(
        'expected_payout_amount', 'fx_rate', 'reporting_minor_unit_exponent',
    ) }}
        as expected_payout_reporting_amount,
    {{ to_reporting_amount('payout_lower_amount', 'fx_rate', 'reporting_minor_unit_exponent') }}
        as payout_lower_reporting_amount,
    {{ to_reporting_amount('payout_upper_amount', 'fx_rate', 'reporting_minor_unit_exponent') }}
        as payout_upper_reporting_amount,

    model_name
from rated
