{#- What each closed settlement period actually paid, the rule written once
    (the accuracy mart and the backtest's baselines read it): what Transfers
    paid for the period (listPayouts; failed or cancelled payouts count
    nothing, NO_PAYOUT is 0) where the marketplace has Transfers, else the
    period's total (0 when negative: Amazon pays nothing and carries it).
    A period whose only payouts failed is still to be re-sent: what it pays is
    not known yet (null, awaiting_resend), so no forecast is scored against it. -#}
with

payouts as (
    select * from {{ ref('fct_payouts') }}
),

transfers as (
    select * from {{ ref('stg_spapi__payouts') }}
),

paid_per_period as (
    select
        seller_id,
        marketplace_id,
        period_end_at,
        sum(
            case when current_status in ('FAILED', 'CANCELLED') then 0 else coalesce(amount, 0) end
        ) as paid_amount,
        coalesce(
            {{ dbt.bool_or("current_status = 'FAILED'") }}
            and not {{ dbt.bool_or("current_status not in ('FAILED', 'CANCELLED')") }},
            false
        ) as is_awaiting_resend
    from transfers
    group by 1, 2, 3
)

select
    payouts.financial_event_group_id,
    payouts.seller_id,
    payouts.marketplace_id,
    payouts.original_currency_code as currency_code,
    payouts.group_started_at,
    payouts.group_ended_at,
    paid_per_period.paid_amount is not null as is_from_transfers,
    coalesce(paid_per_period.is_awaiting_resend, false) as is_awaiting_resend,
    case
        when paid_per_period.is_awaiting_resend then null
        when paid_per_period.paid_amount is not null then paid_per_period.paid_amount
        when payouts.original_total_amount > 0 then payouts.original_total_amount
        else 0
    end as payout_amount
from payouts
left join paid_per_period
    on
        payouts.seller_id = paid_per_period.seller_id
        and payouts.marketplace_id = paid_per_period.marketplace_id
        and payouts.group_ended_at = paid_per_period.period_end_at
where payouts.is_closed and payouts.marketplace_id is not null
