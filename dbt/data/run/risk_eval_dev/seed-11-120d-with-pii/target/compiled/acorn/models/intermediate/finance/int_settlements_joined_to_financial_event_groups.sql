with

settlements as (
    select * from "acorn"."staging"."stg_spapi__settlements"
),

financial_event_groups as (
    select * from "acorn"."staging"."stg_spapi__financial_event_groups"
),

transactions as (
    select * from "acorn"."staging"."stg_spapi__transactions"
    where financial_event_group_id is not null
),


transactions_aggregated_to_group as (
    select
        financial_event_group_id,
        min(marketplace_id) as marketplace_id,
        count(distinct marketplace_id) as marketplace_count,
        count(*) as transaction_count,
        sum(total_amount) as transactions_total_amount
    from transactions
    group by 1
),

groups_with_marketplace as (
    select
        financial_event_groups.*,
        case
            when transactions_aggregated_to_group.marketplace_count = 1
                then transactions_aggregated_to_group.marketplace_id
        end as group_marketplace_id,
        coalesce(transactions_aggregated_to_group.transaction_count, 0) as transaction_count,
        coalesce(transactions_aggregated_to_group.transactions_total_amount, 0)
            as transactions_total_amount
    from financial_event_groups
    left join transactions_aggregated_to_group
        on
            financial_event_groups.financial_event_group_id
            = transactions_aggregated_to_group.financial_event_group_id
),


settlements_joined_to_groups as (
    select
        settlements.settlement_id,
        groups_with_marketplace.financial_event_group_id,
        settlements.seller_id,
        settlements.marketplace_id,
        settlements.currency_code,
        groups_with_marketplace.processing_status,
        groups_with_marketplace.fund_transfer_status,
        groups_with_marketplace.is_closed,
        groups_with_marketplace.original_total_amount,
        groups_with_marketplace.original_currency_code,
        groups_with_marketplace.converted_total_amount,
        groups_with_marketplace.converted_currency_code,
        groups_with_marketplace.transaction_count,
        groups_with_marketplace.transactions_total_amount,
        groups_with_marketplace.group_started_at,
        groups_with_marketplace.group_ended_at,
        groups_with_marketplace.fund_transfer_at
    from settlements
    left join groups_with_marketplace
        on
            settlements.seller_id = groups_with_marketplace.seller_id
            and settlements.currency_code = groups_with_marketplace.original_currency_code
            and settlements.settlement_started_at = groups_with_marketplace.group_started_at
            and (
                groups_with_marketplace.group_marketplace_id is null
                or settlements.marketplace_id = groups_with_marketplace.group_marketplace_id
            )
),


groups_without_settlement as (
    select
        cast(null as TEXT) as settlement_id,
        groups_with_marketplace.financial_event_group_id,
        groups_with_marketplace.seller_id,
        coalesce(
            groups_with_marketplace.group_marketplace_id, groups_with_marketplace.marketplace_id
        ) as marketplace_id,
        groups_with_marketplace.original_currency_code as currency_code,
        groups_with_marketplace.processing_status,
        groups_with_marketplace.fund_transfer_status,
        groups_with_marketplace.is_closed,
        groups_with_marketplace.original_total_amount,
        groups_with_marketplace.original_currency_code,
        groups_with_marketplace.converted_total_amount,
        groups_with_marketplace.converted_currency_code,
        groups_with_marketplace.transaction_count,
        groups_with_marketplace.transactions_total_amount,
        groups_with_marketplace.group_started_at,
        groups_with_marketplace.group_ended_at,
        groups_with_marketplace.fund_transfer_at
    from groups_with_marketplace
    where not exists (
        select 1
        from settlements_joined_to_groups
        where
            settlements_joined_to_groups.financial_event_group_id
            = groups_with_marketplace.financial_event_group_id
    )
),

payout_cycles as (
    select * from settlements_joined_to_groups
    union all
    select * from groups_without_settlement
)

select
    *,
    coalesce(settlement_id, financial_event_group_id) as payout_cycle_id,
    
    coalesce(
        is_closed and original_total_amount = transactions_total_amount, false
    ) as is_transfer_tied_to_transactions,
    coalesce(fund_transfer_status = 'Succeeded', false) as is_fund_transferred,
    
    coalesce(
        settlement_id is null and is_closed and fund_transfer_status = 'Succeeded', false
    ) as is_report_missing
from payout_cycles