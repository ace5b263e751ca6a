with

settlements as (
    select * from "acorn"."staging"."stg_spapi__settlements"
),

settlement_lines as (
    select * from "acorn"."staging"."stg_spapi__settlement_lines"
),

settlements_joined_to_groups as (
    select * from "acorn"."intermediate"."int_settlements_joined_to_financial_event_groups"
),

lines_aggregated_to_settlement as (
    select
        settlement_id,
        count(*) as settlement_line_count,
        sum(amount) as lines_total_amount
    from settlement_lines
    group by 1
),


settlements_joined as (
    select
        settlements_joined_to_groups.payout_cycle_id,
        settlements_joined_to_groups.settlement_id,
        settlements_joined_to_groups.seller_id,
        settlements_joined_to_groups.marketplace_id,
        settlements_joined_to_groups.financial_event_group_id,
        settlements_joined_to_groups.currency_code,
        settlements.total_amount as reported_total_amount,
        case
            when settlements.settlement_id is not null
                then coalesce(lines_aggregated_to_settlement.lines_total_amount, 0)
        end as lines_total_amount,
        settlements_joined_to_groups.transactions_total_amount,
        settlements_joined_to_groups.original_total_amount as transfer_amount,
        settlements_joined_to_groups.converted_total_amount as converted_transfer_amount,
        settlements_joined_to_groups.converted_currency_code,
        case
            when settlements.settlement_id is not null
                then coalesce(lines_aggregated_to_settlement.settlement_line_count, 0)
        end as settlement_line_count,
        settlements.line_count as reported_line_count,
        settlements_joined_to_groups.transaction_count,
        settlements_joined_to_groups.processing_status,
        settlements_joined_to_groups.fund_transfer_status,
        coalesce(settlements_joined_to_groups.is_closed, false) as is_group_closed,
        settlements_joined_to_groups.is_report_missing,
        settlements_joined_to_groups.is_fund_transferred,
        settlements.settlement_started_at,
        settlements.settlement_ended_at,
        settlements_joined_to_groups.group_started_at,
        settlements_joined_to_groups.group_ended_at,
        settlements.deposited_at,
        settlements_joined_to_groups.fund_transfer_at
    from settlements_joined_to_groups
    left join settlements
        on settlements_joined_to_groups.settlement_id = settlements.settlement_id
    left join lines_aggregated_to_settlement
        on settlements_joined_to_groups.settlement_id = lines_aggregated_to_settlement.settlement_id
),

reconciled as (
    select
        *,
        lines_total_amount - reported_total_amount as lines_difference_amount,
        transfer_amount - reported_total_amount as transfer_difference_amount,
        transactions_total_amount - reported_total_amount as transactions_difference_amount,
        coalesce(transactions_total_amount <> reported_total_amount, false)
            as is_transactions_mismatch,
        
        coalesce(lines_total_amount <> reported_total_amount, false) as is_lines_mismatch,
        coalesce(transfer_amount <> reported_total_amount, false) as is_transfer_mismatch,
        case
            when not is_group_closed then 'open'
            when settlement_id is null and is_fund_transferred then 'report_missing'
            when settlement_id is null then 'awaiting_transfer'
            when lines_total_amount <> reported_total_amount then 'lines_mismatch'
            when transfer_amount <> reported_total_amount then 'transfer_mismatch'
            else 'balanced'
        end as reconciliation_status
    from settlements_joined
)

select
    payout_cycle_id,
    settlement_id,
    seller_id,
    marketplace_id,
    financial_event_group_id,
    currency_code,
    cast(reported_total_amount as decimal(20, 4)) as reported_total_amount,
    cast(lines_total_amount as decimal(20, 4)) as lines_total_amount,
    cast(lines_difference_amount as decimal(20, 4)) as lines_difference_amount,
    cast(transactions_total_amount as decimal(20, 4)) as transactions_total_amount,
    cast(transactions_difference_amount as decimal(20, 4)) as transactions_difference_amount,
    cast(transfer_amount as decimal(20, 4)) as transfer_amount,
    cast(transfer_difference_amount as decimal(20, 4)) as transfer_difference_amount,
    cast(converted_transfer_amount as decimal(20, 4)) as converted_transfer_amount,
    converted_currency_code,
    settlement_line_count,
    reported_line_count,
    transaction_count,
    processing_status,
    fund_transfer_status,
    reconciliation_status,
    is_group_closed,
    is_report_missing,
    is_transactions_mismatch,
    is_lines_mismatch,
    is_transfer_mismatch,
    settlement_started_at,
    settlement_ended_at,
    group_started_at,
    group_ended_at,
    deposited_at,
    fund_transfer_at
from reconciled