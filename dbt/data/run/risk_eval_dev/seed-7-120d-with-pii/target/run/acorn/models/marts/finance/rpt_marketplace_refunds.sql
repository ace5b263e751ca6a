
    
      
    

    create  table
      "acorn"."marts"."rpt_marketplace_refunds__dbt_tmp"
  
  (
    marketplace_refund_period_id varchar,
    seller_id varchar,
    marketplace_id varchar,
    marketplace_code varchar,
    settlement_id varchar,
    currency_code varchar,
    reporting_currency_code varchar,
    fx_rate decimal(20,8),
    fx_rate_source varchar,
    fx_rate_date date,
    is_fx_rate_stale boolean,
    refund_count bigint,
    matched_count bigint,
    amount_mismatch_count bigint,
    missing_from_settlement_count bigint,
    pending_settlement_count bigint,
    report_missing_count bigint,
    over_refund_count bigint,
    duplicate_refund_count bigint,
    fee_error_count bigint,
    tax_mismatch_count bigint,
    flagged_count bigint,
    matched_share_rate decimal(9,6),
    refund_net_amount decimal(20,4),
    settlement_difference_amount decimal(20,4),
    cash_difference_amount decimal(20,4),
    missing_report_line_amount decimal(20,4),
    unclassified_amount decimal(20,4),
    refund_net_reporting_amount decimal(20,4),
    cash_difference_reporting_amount decimal(20,4),
    is_pending_period boolean,
    settlement_started_at timestamp with time zone,
    settlement_ended_at timestamp with time zone
    
    )
 ;
    
    
    insert into "acorn"."marts"."rpt_marketplace_refunds__dbt_tmp" 
  (
    
      
      
      marketplace_refund_period_id ,
    
      
      
      seller_id ,
    
      
      
      marketplace_id ,
    
      
      
      marketplace_code ,
    
      
      
      settlement_id ,
    
      
      
      currency_code ,
    
      
      
      reporting_currency_code ,
    
      
      
      fx_rate ,
    
      
      
      fx_rate_source ,
    
      
      
      fx_rate_date ,
    
      
      
      is_fx_rate_stale ,
    
      
      
      refund_count ,
    
      
      
      matched_count ,
    
      
      
      amount_mismatch_count ,
    
      
      
      missing_from_settlement_count ,
    
      
      
      pending_settlement_count ,
    
      
      
      report_missing_count ,
    
      
      
      over_refund_count ,
    
      
      
      duplicate_refund_count ,
    
      
      
      fee_error_count ,
    
      
      
      tax_mismatch_count ,
    
      
      
      flagged_count ,
    
      
      
      matched_share_rate ,
    
      
      
      refund_net_amount ,
    
      
      
      settlement_difference_amount ,
    
      
      
      cash_difference_amount ,
    
      
      
      missing_report_line_amount ,
    
      
      
      unclassified_amount ,
    
      
      
      refund_net_reporting_amount ,
    
      
      
      cash_difference_reporting_amount ,
    
      
      
      is_pending_period ,
    
      
      
      settlement_started_at ,
    
      
      
      settlement_ended_at 
    
  )
 (
      
    select marketplace_refund_period_id, seller_id, marketplace_id, marketplace_code, settlement_id, currency_code, reporting_currency_code, fx_rate, fx_rate_source, fx_rate_date, is_fx_rate_stale, refund_count, matched_count, amount_mismatch_count, missing_from_settlement_count, pending_settlement_count, report_missing_count, over_refund_count, duplicate_refund_count, fee_error_count, tax_mismatch_count, flagged_count, matched_share_rate, refund_net_amount, settlement_difference_amount, cash_difference_amount, missing_report_line_amount, unclassified_amount, refund_net_reporting_amount, cash_difference_reporting_amount, is_pending_period, settlement_started_at, settlement_ended_at
    from (
        with

refund_reconciliation as (
    select * from "acorn"."marts"."fct_refund_reconciliation"
),

settlements as (
    select * from "acorn"."staging"."stg_spapi__settlements"
),

settlements_joined_to_groups as (
    select * from "acorn"."intermediate"."int_settlements_joined_to_financial_event_groups"
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

refunds_aggregated_to_period as (
    select
        seller_id,
        marketplace_id,
        marketplace_code,
        
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
                when reconciliation_status = 'amount_mismatch' then settlement_difference_amount
                when reconciliation_status = 'missing_from_settlement' then -net_amount
                else 0
            end
        ) as settlement_difference_amount,
        sum(
            case
                when is_paid_in_transfer then 0
                when reconciliation_status = 'amount_mismatch' then settlement_difference_amount
                when reconciliation_status = 'missing_from_settlement' then -net_amount
                else 0
            end
        ) as cash_difference_amount,
        sum(
            case
                when reconciliation_status = 'missing_from_settlement' and is_paid_in_transfer
                    then net_amount
                else 0
            end
        ) as missing_report_line_amount,
        sum(unclassified_amount) as unclassified_amount,
        max(posted_local_date) as last_refund_local_date
    from refund_reconciliation
    group by 1, 2, 3, 4, 5
),

periods_joined_to_settlements as (
    select
        refunds_aggregated_to_period.*,
        settlements_joined_to_groups.financial_event_group_id,
        settlements.settlement_started_at,
        settlements.settlement_ended_at,
        coalesce(
            cast(settlements.settlement_ended_at as date),
            refunds_aggregated_to_period.last_refund_local_date
        ) as period_end_date
    from refunds_aggregated_to_period
    left join settlements
        on refunds_aggregated_to_period.settlement_id = settlements.settlement_id
    left join settlements_joined_to_groups
        on refunds_aggregated_to_period.settlement_id = settlements_joined_to_groups.settlement_id
),


periods_joined_to_fx_rates as (
    select
        periods_joined_to_settlements.*,
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
        (date_diff('day', fx_rates.valid_from::timestamp, periods_joined_to_settlements.period_end_date::timestamp ))
    
            > 7
        ),
        false
    ) as is_fx_rate_stale,
        reporting_currency.minor_unit_exponent as reporting_minor_unit_exponent
    from periods_joined_to_settlements
    cross join reporting_currency
    left join applied_fx_rates
        on
            periods_joined_to_settlements.financial_event_group_id
            = applied_fx_rates.financial_event_group_id
    left join fx_rates
        on
            periods_joined_to_settlements.currency_code = fx_rates.from_currency_code
            and periods_joined_to_settlements.period_end_date >= fx_rates.valid_from
            and (
                fx_rates.valid_to is null
                or periods_joined_to_settlements.period_end_date < fx_rates.valid_to
            )
),

final as (
    select
        seller_id || '|' || marketplace_id || '|' || coalesce(settlement_id, 'pending') as marketplace_refund_period_id,
        seller_id,
        marketplace_id,
        marketplace_code,
        settlement_id,
        currency_code,
        'CNY' as reporting_currency_code,
        fx_rate,
        fx_rate_source,
        fx_rate_date,
        is_fx_rate_stale,
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
        cast(settlement_difference_amount as decimal(20, 4)) as settlement_difference_amount,
        cast(cash_difference_amount as decimal(20, 4)) as cash_difference_amount,
        cast(missing_report_line_amount as decimal(20, 4)) as missing_report_line_amount,
        cast(unclassified_amount as decimal(20, 4)) as unclassified_amount,
        cast(case reporting_minor_unit_exponent
        when 0 then cast(round(refund_net_amount * fx_rate, 0) as decimal(38, 4))
        when 1 then cast(round(refund_net_amount * fx_rate, 1) as decimal(38, 4))
        when 2 then cast(round(refund_net_amount * fx_rate, 2) as decimal(38, 4))
        when 3 then cast(round(refund_net_amount * fx_rate, 3) as decimal(38, 4))
        else cast(round(refund_net_amount * fx_rate, 4) as decimal(38, 4))
    end as decimal(20, 4))
            as refund_net_reporting_amount,
        cast(case reporting_minor_unit_exponent
        when 0 then cast(round(cash_difference_amount * fx_rate, 0) as decimal(38, 4))
        when 1 then cast(round(cash_difference_amount * fx_rate, 1) as decimal(38, 4))
        when 2 then cast(round(cash_difference_amount * fx_rate, 2) as decimal(38, 4))
        when 3 then cast(round(cash_difference_amount * fx_rate, 3) as decimal(38, 4))
        else cast(round(cash_difference_amount * fx_rate, 4) as decimal(38, 4))
    end as decimal(20, 4)) as cash_difference_reporting_amount,
        settlement_id is null as is_pending_period,
        settlement_started_at,
        settlement_ended_at
    from periods_joined_to_fx_rates
)

select * from final
    ) as model_subq
    );
  