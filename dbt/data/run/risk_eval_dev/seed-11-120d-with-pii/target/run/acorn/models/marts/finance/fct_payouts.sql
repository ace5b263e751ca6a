
    
      
    

    create  table
      "acorn"."marts"."fct_payouts__dbt_tmp"
  
  (
    financial_event_group_id varchar,
    seller_id varchar,
    marketplace_id varchar,
    settlement_id varchar,
    group_started_at timestamp with time zone,
    group_ended_at timestamp with time zone,
    processing_status varchar,
    fund_transfer_status varchar,
    is_closed boolean,
    is_fund_transferred boolean,
    report_missing boolean,
    reconciliation_status varchar,
    original_total_amount decimal(20,4),
    original_currency_code varchar,
    converted_total_amount decimal(20,4),
    converted_currency_code varchar,
    fund_transfer_at timestamp with time zone,
    expected_transfer_date date,
    is_deposit_expected boolean,
    fund_transfer_amount decimal(20,4),
    fund_transfer_currency_code varchar,
    reporting_currency_code varchar,
    fx_rate decimal(20,8),
    fx_rate_source varchar,
    fx_rate_date date,
    is_fx_rate_stale boolean,
    expected_deposit_reporting_amount decimal(20,4),
    transaction_count bigint,
    transactions_total_amount decimal(20,4),
    transactions_difference_amount decimal(20,4),
    deferred_transaction_count bigint,
    deferred_amount decimal(20,4),
    deferred_reporting_amount decimal(20,4),
    first_deferral_maturity_at timestamp with time zone,
    last_deferral_maturity_at timestamp with time zone,
    released_deferred_transaction_count bigint,
    released_deferred_amount decimal(20,4),
    report_total_amount decimal(20,4),
    report_difference_amount decimal(20,4)
    
    )
 ;
    
    
    insert into "acorn"."marts"."fct_payouts__dbt_tmp" 
  (
    
      
      
      financial_event_group_id ,
    
      
      
      seller_id ,
    
      
      
      marketplace_id ,
    
      
      
      settlement_id ,
    
      
      
      group_started_at ,
    
      
      
      group_ended_at ,
    
      
      
      processing_status ,
    
      
      
      fund_transfer_status ,
    
      
      
      is_closed ,
    
      
      
      is_fund_transferred ,
    
      
      
      report_missing ,
    
      
      
      reconciliation_status ,
    
      
      
      original_total_amount ,
    
      
      
      original_currency_code ,
    
      
      
      converted_total_amount ,
    
      
      
      converted_currency_code ,
    
      
      
      fund_transfer_at ,
    
      
      
      expected_transfer_date ,
    
      
      
      is_deposit_expected ,
    
      
      
      fund_transfer_amount ,
    
      
      
      fund_transfer_currency_code ,
    
      
      
      reporting_currency_code ,
    
      
      
      fx_rate ,
    
      
      
      fx_rate_source ,
    
      
      
      fx_rate_date ,
    
      
      
      is_fx_rate_stale ,
    
      
      
      expected_deposit_reporting_amount ,
    
      
      
      transaction_count ,
    
      
      
      transactions_total_amount ,
    
      
      
      transactions_difference_amount ,
    
      
      
      deferred_transaction_count ,
    
      
      
      deferred_amount ,
    
      
      
      deferred_reporting_amount ,
    
      
      
      first_deferral_maturity_at ,
    
      
      
      last_deferral_maturity_at ,
    
      
      
      released_deferred_transaction_count ,
    
      
      
      released_deferred_amount ,
    
      
      
      report_total_amount ,
    
      
      
      report_difference_amount 
    
  )
 (
      
    select financial_event_group_id, seller_id, marketplace_id, settlement_id, group_started_at, group_ended_at, processing_status, fund_transfer_status, is_closed, is_fund_transferred, report_missing, reconciliation_status, original_total_amount, original_currency_code, converted_total_amount, converted_currency_code, fund_transfer_at, expected_transfer_date, is_deposit_expected, fund_transfer_amount, fund_transfer_currency_code, reporting_currency_code, fx_rate, fx_rate_source, fx_rate_date, is_fx_rate_stale, expected_deposit_reporting_amount, transaction_count, transactions_total_amount, transactions_difference_amount, deferred_transaction_count, deferred_amount, deferred_reporting_amount, first_deferral_maturity_at, last_deferral_maturity_at, released_deferred_transaction_count, released_deferred_amount, report_total_amount, report_difference_amount
    from (
        

with

payout_cycles as (
    select * from "acorn"."intermediate"."int_settlements_joined_to_financial_event_groups"
    where financial_event_group_id is not null
),

settlements as (
    select * from "acorn"."staging"."stg_spapi__settlements"
),

transactions as (
    select * from "acorn"."staging"."stg_spapi__transactions"
),

applied_fx_rates as (
    select * from "acorn"."intermediate"."int_financial_event_groups_fx_applied"
),

fx_rates as (
    select * from "acorn"."intermediate"."int_fx_rates"
),

reporting_currency as (
    select minor_unit_exponent from "acorn"."seeds"."currency_minor_units"
    where currency_code = 'CNY'
),

marketplaces as (
    select * from "acorn"."seeds"."marketplaces"
),


deferred_transactions as (
    select
        transaction_id,
        seller_id,
        marketplace_id,
        currency_code,
        total_amount,
        deferral_maturity_at
    from transactions
    where transaction_status = 'DEFERRED'
),

deferred_joined_to_groups as (
    select
        deferred_transactions.transaction_id,
        deferred_transactions.total_amount,
        deferred_transactions.deferral_maturity_at,
        payout_cycles.financial_event_group_id
    from deferred_transactions
    inner join payout_cycles
        on
            deferred_transactions.seller_id = payout_cycles.seller_id
            and deferred_transactions.currency_code = payout_cycles.original_currency_code
            and deferred_transactions.deferral_maturity_at >= payout_cycles.group_started_at
            and (
                payout_cycles.group_ended_at is null
                or deferred_transactions.deferral_maturity_at < payout_cycles.group_ended_at
            )
            and payout_cycles.marketplace_id in (deferred_transactions.marketplace_id, 'ALL')
    qualify row_number() over (
        partition by deferred_transactions.transaction_id
        order by
            case when payout_cycles.marketplace_id = 'ALL' then 1 else 0 end asc,
            payout_cycles.group_started_at desc,
            payout_cycles.financial_event_group_id asc
    ) = 1
),

deferred_aggregated_to_group as (
    select
        financial_event_group_id,
        count(*) as deferred_transaction_count,
        sum(total_amount) as deferred_amount,
        min(deferral_maturity_at) as first_deferral_maturity_at,
        max(deferral_maturity_at) as last_deferral_maturity_at
    from deferred_joined_to_groups
    group by 1
),


released_aggregated_to_group as (
    select
        financial_event_group_id,
        count(*) as released_deferred_transaction_count,
        sum(total_amount) as released_deferred_amount
    from transactions
    where transaction_status = 'DEFERRED_RELEASED' and financial_event_group_id is not null
    group by 1
),

groups_joined as (
    select
        payout_cycles.financial_event_group_id,
        payout_cycles.seller_id,
        payout_cycles.marketplace_id,
        payout_cycles.settlement_id,
        payout_cycles.processing_status,
        payout_cycles.fund_transfer_status,
        coalesce(payout_cycles.is_closed, false) as is_closed,
        payout_cycles.is_fund_transferred,
        payout_cycles.is_report_missing as report_missing,
        payout_cycles.original_total_amount,
        payout_cycles.original_currency_code,
        payout_cycles.converted_total_amount,
        payout_cycles.converted_currency_code,
        payout_cycles.transaction_count,
        payout_cycles.transactions_total_amount,
        settlements.total_amount as report_total_amount,
        coalesce(deferred_aggregated_to_group.deferred_transaction_count, 0)
            as deferred_transaction_count,
        coalesce(deferred_aggregated_to_group.deferred_amount, 0) as deferred_amount,
        deferred_aggregated_to_group.first_deferral_maturity_at,
        deferred_aggregated_to_group.last_deferral_maturity_at,
        coalesce(released_aggregated_to_group.released_deferred_transaction_count, 0)
            as released_deferred_transaction_count,
        coalesce(released_aggregated_to_group.released_deferred_amount, 0)
            as released_deferred_amount,
        payout_cycles.group_started_at,
        payout_cycles.group_ended_at,
        payout_cycles.fund_transfer_at,
        
        cast(coalesce(
            payout_cycles.fund_transfer_at,
            payout_cycles.group_ended_at,
            

    (payout_cycles.group_started_at + cast(marketplaces.settlement_cadence_days as bigint) * interval 1 day)
        ) as date) as expected_transfer_date,
        
        cast(coalesce(
            payout_cycles.fund_transfer_at,
            payout_cycles.group_ended_at,
            cast('2026-11-30 00:00:00' as timestamp with time zone)
        ) as date) as rate_date
    from payout_cycles
    left join settlements
        on payout_cycles.settlement_id = settlements.settlement_id
    left join marketplaces
        on payout_cycles.marketplace_id = marketplaces.marketplace_id
    left join deferred_aggregated_to_group
        on
            payout_cycles.financial_event_group_id
            = deferred_aggregated_to_group.financial_event_group_id
    left join released_aggregated_to_group
        on
            payout_cycles.financial_event_group_id
            = released_aggregated_to_group.financial_event_group_id
),


rated as (
    select
        groups_joined.*,
        cast(coalesce(applied_fx_rates.applied_fx_rate, fx_rates.fx_rate) as decimal(20, 8)) as fx_rate,
    case
        when applied_fx_rates.applied_fx_rate is not null then 'amazon_applied'
        when fx_rates.fx_rate is not null then 'fx_rates_seed'
    end as fx_rate_source,
    case when applied_fx_rates.applied_fx_rate is null then fx_rates.valid_from end as fx_rate_date,
    coalesce(
        applied_fx_rates.applied_fx_rate is null
        and (
            fx_rates.fx_rate is null
            or 
        (date_diff('day', fx_rates.valid_from::timestamp, groups_joined.rate_date::timestamp ))
    
            > 7
        ),
        false
    ) as is_fx_rate_stale,
        reporting_currency.minor_unit_exponent as reporting_minor_unit_exponent
    from groups_joined
    left join applied_fx_rates
        on groups_joined.financial_event_group_id = applied_fx_rates.financial_event_group_id
    left join fx_rates
        on
            groups_joined.original_currency_code = fx_rates.from_currency_code
            and groups_joined.rate_date >= fx_rates.valid_from
            and (fx_rates.valid_to is null or groups_joined.rate_date < fx_rates.valid_to)
    cross join reporting_currency
),

reconciled as (
    select
        *,
        case
            when is_closed and converted_total_amount is not null
                then converted_total_amount
            when is_closed then original_total_amount
        end as fund_transfer_amount,
        case
            when is_closed and converted_total_amount is not null
                then converted_currency_code
            when is_closed then original_currency_code
        end as fund_transfer_currency_code,
        
        case
            when fx_rate_source = 'amazon_applied' then converted_total_amount
            else
                cast(case reporting_minor_unit_exponent
        when 0 then cast(round(original_total_amount * fx_rate, 0) as decimal(38, 4))
        when 1 then cast(round(original_total_amount * fx_rate, 1) as decimal(38, 4))
        when 2 then cast(round(original_total_amount * fx_rate, 2) as decimal(38, 4))
        when 3 then cast(round(original_total_amount * fx_rate, 3) as decimal(38, 4))
        else cast(round(original_total_amount * fx_rate, 4) as decimal(38, 4))
    end as decimal(20, 4))
        end as expected_deposit_reporting_amount,
        cast(case reporting_minor_unit_exponent
        when 0 then cast(round(deferred_amount * fx_rate, 0) as decimal(38, 4))
        when 1 then cast(round(deferred_amount * fx_rate, 1) as decimal(38, 4))
        when 2 then cast(round(deferred_amount * fx_rate, 2) as decimal(38, 4))
        when 3 then cast(round(deferred_amount * fx_rate, 3) as decimal(38, 4))
        else cast(round(deferred_amount * fx_rate, 4) as decimal(38, 4))
    end as decimal(20, 4))
            as deferred_reporting_amount,
        original_total_amount - report_total_amount as report_difference_amount,
        original_total_amount - transactions_total_amount as transactions_difference_amount,
        case
            when not is_closed then 'open'
            when fund_transfer_status = 'Failed' then 'transfer_failed'
            when not is_fund_transferred then 'awaiting_transfer'
            when settlement_id is null then 'report_missing'
            when original_total_amount <> report_total_amount then 'transfer_mismatch'
            else 'balanced'
        end as reconciliation_status,
        not coalesce(is_fund_transferred, false)
        and coalesce(fund_transfer_status, '') <> 'Failed' as is_deposit_expected
    from rated
)

select
    financial_event_group_id,
    seller_id,
    marketplace_id,
    settlement_id,
    group_started_at,
    group_ended_at,
    processing_status,
    fund_transfer_status,
    is_closed,
    is_fund_transferred,
    report_missing,
    reconciliation_status,
    cast(original_total_amount as decimal(20, 4)) as original_total_amount,
    original_currency_code,
    cast(converted_total_amount as decimal(20, 4)) as converted_total_amount,
    converted_currency_code,
    fund_transfer_at,
    expected_transfer_date,
    is_deposit_expected,
    cast(fund_transfer_amount as decimal(20, 4)) as fund_transfer_amount,
    fund_transfer_currency_code,
    'CNY' as reporting_currency_code,
    fx_rate,
    fx_rate_source,
    fx_rate_date,
    is_fx_rate_stale,
    cast(expected_deposit_reporting_amount as decimal(20, 4)) as expected_deposit_reporting_amount,
    transaction_count,
    cast(transactions_total_amount as decimal(20, 4)) as transactions_total_amount,
    cast(transactions_difference_amount as decimal(20, 4)) as transactions_difference_amount,
    deferred_transaction_count,
    cast(deferred_amount as decimal(20, 4)) as deferred_amount,
    cast(deferred_reporting_amount as decimal(20, 4)) as deferred_reporting_amount,
    first_deferral_maturity_at,
    last_deferral_maturity_at,
    released_deferred_transaction_count,
    cast(released_deferred_amount as decimal(20, 4)) as released_deferred_amount,
    cast(report_total_amount as decimal(20, 4)) as report_total_amount,
    cast(report_difference_amount as decimal(20, 4)) as report_difference_amount
from reconciled
    ) as model_subq
    );
  