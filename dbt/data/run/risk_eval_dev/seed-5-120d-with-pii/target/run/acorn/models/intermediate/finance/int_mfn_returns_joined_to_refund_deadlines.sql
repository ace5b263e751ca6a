
    

    create  table
      "acorn"."intermediate"."int_mfn_returns_joined_to_refund_deadlines__dbt_tmp"
  
    
    as (
      with

mfn_returns as (
    select * from "acorn"."staging"."stg_spapi__mfn_returns"
),

marketplaces as (
    select * from "acorn"."seeds"."marketplaces"
),

policy_rules as (
    select * from "acorn"."seeds"."policy_rules"
    where rule_name = 'mfn_refund_deadline_business_days'
),

marketplace_public_holidays as (
    select * from "acorn"."seeds"."marketplace_public_holidays"
),

marketplace_weekend_days as (
    select * from "acorn"."seeds"."marketplace_weekend_days"
),

weekdays as (
    select 0 as day_number
    union all
    select 1
    union all
    select 2
    union all
    select 3
    union all
    select 4
    union all
    select 5
    union all
    select 6
),

weeks as (
    select 0 as week_number
    union all
    select 1
    union all
    select 2
),

day_offsets as (
    select weeks.week_number * 7 + weekdays.day_number + 1 as offset_days
    from weeks
    cross join weekdays
),

returns_received as (
    select
        mfn_returns.return_id,
        mfn_returns.seller_id,
        mfn_returns.marketplace_id,
        mfn_returns.order_id,
        mfn_returns.sku,
        mfn_returns.amazon_rma_id,
        mfn_returns.tracking_id,
        mfn_returns.return_carrier,
        mfn_returns.return_request_status,
        mfn_returns.is_in_policy,
        mfn_returns.return_requested_at,
        mfn_returns.return_delivered_at as return_received_at,
        marketplaces.marketplace_code,
        marketplaces.time_zone,
        cast(timezone(marketplaces.time_zone, mfn_returns.return_delivered_at) as date) as received_local_date
    from mfn_returns
    inner join marketplaces
        on mfn_returns.marketplace_id = marketplaces.marketplace_id
),

returns_joined_to_rule as (
    select
        returns_received.*,
        cast(policy_rules.rule_value as integer)
            as refund_deadline_business_days
    from returns_received
    left join policy_rules
        on
            returns_received.marketplace_code = policy_rules.marketplace_code
            and returns_received.received_local_date
            between policy_rules.effective_from
            and coalesce(policy_rules.effective_to, cast('9999-12-31' as date))
),

candidate_days as (
    select
        returns_joined_to_rule.return_id,
        returns_joined_to_rule.marketplace_code,
        cast(

    (returns_joined_to_rule.received_local_date + cast(day_offsets.offset_days as bigint) * interval 1 day) as date) as calendar_date
    from returns_joined_to_rule
    cross join day_offsets
    where returns_joined_to_rule.received_local_date is not null
),

candidate_days_classified as (
    select
        candidate_days.return_id,
        candidate_days.calendar_date,
        marketplace_weekend_days.iso_weekday is not null as is_weekend,
        marketplace_public_holidays.holiday_date is not null as is_holiday
    from candidate_days
    left join marketplace_weekend_days
        on
            candidate_days.marketplace_code
            = marketplace_weekend_days.marketplace_code
            and (
        (date_diff('day', cast('2001-01-01' as date)::timestamp, candidate_days.calendar_date::timestamp ))
     % 7 + 1)
            = marketplace_weekend_days.iso_weekday
    left join marketplace_public_holidays
        on
            candidate_days.marketplace_code
            = marketplace_public_holidays.marketplace_code
            and candidate_days.calendar_date
            = marketplace_public_holidays.holiday_date
),

business_days_numbered as (
    select
        return_id,
        calendar_date,
        row_number() over (
            partition by return_id order by calendar_date
        ) as business_day_number
    from candidate_days_classified
    where not is_weekend and not is_holiday
),

deadlines as (
    select
        returns_joined_to_rule.*,
        business_days_numbered.calendar_date as due_local_date
    from returns_joined_to_rule
    left join business_days_numbered
        on
            returns_joined_to_rule.return_id = business_days_numbered.return_id
            and returns_joined_to_rule.refund_deadline_business_days
            = business_days_numbered.business_day_number
),

holidays_skipped as (
    select
        deadlines.return_id,
        count(*) as skipped_holiday_count
    from deadlines
    inner join candidate_days_classified
        on
            deadlines.return_id = candidate_days_classified.return_id
            and deadlines.due_local_date >= candidate_days_classified.calendar_date
    where
        candidate_days_classified.is_holiday
        and not candidate_days_classified.is_weekend
    group by 1
),

final as (
    select
        deadlines.*,
        coalesce(holidays_skipped.skipped_holiday_count, 0)
            as skipped_holiday_count,
        
        timezone(deadlines.time_zone, cast(

    (deadlines.due_local_date + cast(1 as bigint) * interval 1 day) as timestamp)) as due_at
    from deadlines
    left join holidays_skipped
        on deadlines.return_id = holidays_skipped.return_id
)

select * from final
    );
    
  