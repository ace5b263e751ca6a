with

refund_reconciliation as (
    select * from {{ ref('fct_refund_reconciliation') }}
),

settlements as (
    select * from {{ ref('stg_spapi__settlements') }}
),

settlements_joined_to_groups as (
    select * from {{ ref('int_settlements_joined_to_financial_event_groups') }}
    where converted_currency_code = '{{ var("reporting_currency", "CNY") }}'
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
    where to_currency_code = '{{ var("reporting_currency", "CNY") }}'
),

refunds_aggregated_to_period as (
    select
        seller_id,
        marketplace_id,
        marketplace_code,
        {# The settlement a refund landed in, else the one it belongs to, else pending. #}
        coalesce(settlement_id, expected_settlement_id) as settlement_id,
        currency_code,
        count(*) as refund_count,
        count(case when reconciliation_status = 'matched' then 1 end) as matched_count,
        count(case when reconciliation_status = 'amount_mismatch' then 1 end)
            as amount_mismatch_count,
        count(case when reconciliation_status = 'missing_from_settlement' then 1 end)
            as missing_from_settlement_count,
        count(case when reconciliation_status = 'pending_settlement' then 1 end)
            as pending_settlement_count,
        count(case when reconciliation_status = 'report_missing' then 1 end)
            as report_missing_count,
        count(case when is_over_refund then 1 end) as over_refund_count,
        count(case when is_duplicate_refund then 1 end) as duplicate_refund_count,
        count(case when is_fee_error then 1 end) as fee_error_count,
        count(case when is_tax_mismatch then 1 end) as tax_mismatch_count,
        count(
            case
                when is_over_refund or is_duplicate_refund or is_fee_error or is_tax_mismatch
                    then 1
            end
        ) as flagged_count,
        sum(net_amount) as refund_net_amount,
        sum(
            case
                when reconciliation_status = 'amount_mismatch'
                    then net_amount - settled_amount
                when reconciliation_status = 'missing_from_settlement' then net_amount
                else 0
            end
        ) as unreconciled_amount,
        sum(unclassified_amount) as unclassified_amount,
        max(posted_local_date) as last_refund_local_date
    from refund_reconciliation
    group by 1, 2, 3, 4, 5
),

periods_joined_to_settlements as (
    select
        refunds_aggregated_to_period.*,
        settlements.settlement_started_at,
        settlements.settlement_ended_at,
        coalesce(
            cast(settlements.settlement_ended_at as date),
            refunds_aggregated_to_period.last_refund_local_date
        ) as fx_rate_date
    from refunds_aggregated_to_period
    left join settlements
        on refunds_aggregated_to_period.settlement_id = settlements.settlement_id
),

{# The rate in force at the period end: the latest valid_from on or before it. #}
periods_joined_to_fx_rates as (
    select
        periods_joined_to_settlements.*,
        fx_rates.fx_rate
    from periods_joined_to_settlements
    left join fx_rates
        on
            periods_joined_to_settlements.currency_code = fx_rates.from_currency_code
            and periods_joined_to_settlements.fx_rate_date >= fx_rates.valid_from
    qualify row_number() over (
        partition by
            periods_joined_to_settlements.seller_id,
            periods_joined_to_settlements.marketplace_id,
            periods_joined_to_settlements.settlement_id
        order by fx_rates.valid_from desc nulls last
    ) = 1
),

{# The rate Amazon applied to the period's payout (converted / original total of
   its financial event group, into the reporting currency) wins over the seed. #}
periods_joined_to_applied_rates as (
    select
        periods_joined_to_fx_rates.*,
        case
            when settlements_joined_to_groups.original_total_amount <> 0
                then
                    cast(settlements_joined_to_groups.converted_total_amount as decimal(38, 12))
                    / settlements_joined_to_groups.original_total_amount
        end as applied_fx_rate
    from periods_joined_to_fx_rates
    left join settlements_joined_to_groups
        on periods_joined_to_fx_rates.settlement_id = settlements_joined_to_groups.settlement_id
),

final as (
    select
        {{ dbt.concat([
            'seller_id', "'|'", 'marketplace_id', "'|'", "coalesce(settlement_id, 'pending')",
        ]) }} as marketplace_refund_period_id,
        seller_id,
        marketplace_id,
        marketplace_code,
        settlement_id,
        currency_code,
        '{{ var("reporting_currency", "CNY") }}' as reporting_currency_code,
        cast(coalesce(applied_fx_rate, fx_rate) as decimal(20, 8)) as fx_rate,
        case
            when applied_fx_rate is not null then 'amazon_applied'
            when fx_rate is not null then 'fx_rates_seed'
        end as fx_rate_source,
        refund_count,
        matched_count,
        amount_mismatch_count,
        missing_from_settlement_count,
        pending_settlement_count,
        report_missing_count,
        over_refund_count,
        duplicate_refund_count,
        fee_error_count,
        tax_mismatch_count,
        flagged_count,
        cast(
            case
                when refund_count - pending_settlement_count - report_missing_count > 0
                    then
                        cast(matched_count as decimal(20, 6))
                        / (refund_count - pending_settlement_count - report_missing_count)
            end as decimal(9, 6)
        ) as matched_share_rate,
        cast(refund_net_amount as decimal(20, 4)) as refund_net_amount,
        cast(unreconciled_amount as decimal(20, 4)) as unreconciled_amount,
        cast(unclassified_amount as decimal(20, 4)) as unclassified_amount,
        cast(
            round(refund_net_amount * coalesce(applied_fx_rate, fx_rate), 4) as decimal(20, 4)
        ) as refund_net_reporting_amount,
        cast(
            round(unreconciled_amount * coalesce(applied_fx_rate, fx_rate), 4) as decimal(20, 4)
        ) as unreconciled_reporting_amount,
        settlement_id is null as is_pending_period,
        settlement_started_at,
        settlement_ended_at
    from periods_joined_to_applied_rates
)

select * from final
