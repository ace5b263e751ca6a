
    
      
    

    create  table
      "acorn"."marts"."fct_refund_decisions__dbt_tmp"
  
  (
    return_id varchar,
    seller_id varchar,
    marketplace_id varchar,
    marketplace_code varchar,
    order_id varchar,
    amazon_rma_id varchar,
    sku varchar,
    asin varchar,
    item_name varchar,
    seller_product_name varchar,
    product_category varchar,
    return_request_status varchar,
    return_reason varchar,
    return_quantity bigint,
    is_in_policy boolean,
    has_a_to_z_claim boolean,
    buyer_risk_score decimal(9,4),
    decision varchar,
    decision_rule varchar,
    refund_decision_rule_id varchar,
    policy_clause varchar,
    return_window_policy_rule_id varchar,
    holiday_extension_policy_rule_id varchar,
    return_window_days integer,
    statutory_withdrawal_days integer,
    currency_code varchar,
    request_amount decimal(20,4),
    reporting_currency_code varchar,
    request_reporting_amount decimal(20,4),
    max_auto_approve_currency_code varchar,
    max_auto_approve_amount decimal(20,4),
    max_auto_approve_reporting_amount decimal(20,4),
    max_buyer_risk_score decimal(9,4),
    fx_rate decimal(20,8),
    fx_rate_source varchar,
    fx_rate_date date,
    is_fx_rate_stale boolean,
    time_zone varchar,
    ordered_local_date date,
    delivery_local_date date,
    request_local_date date,
    statutory_withdrawal_end_local_date date,
    return_window_end_local_date date,
    holiday_extension_end_local_date date,
    ordered_at timestamp with time zone,
    latest_delivery_at timestamp with time zone,
    return_requested_at timestamp with time zone
    
    )
 ;
    
    
    insert into "acorn"."marts"."fct_refund_decisions__dbt_tmp" 
  (
    
      
      
      return_id ,
    
      
      
      seller_id ,
    
      
      
      marketplace_id ,
    
      
      
      marketplace_code ,
    
      
      
      order_id ,
    
      
      
      amazon_rma_id ,
    
      
      
      sku ,
    
      
      
      asin ,
    
      
      
      item_name ,
    
      
      
      seller_product_name ,
    
      
      
      product_category ,
    
      
      
      return_request_status ,
    
      
      
      return_reason ,
    
      
      
      return_quantity ,
    
      
      
      is_in_policy ,
    
      
      
      has_a_to_z_claim ,
    
      
      
      buyer_risk_score ,
    
      
      
      decision ,
    
      
      
      decision_rule ,
    
      
      
      refund_decision_rule_id ,
    
      
      
      policy_clause ,
    
      
      
      return_window_policy_rule_id ,
    
      
      
      holiday_extension_policy_rule_id ,
    
      
      
      return_window_days ,
    
      
      
      statutory_withdrawal_days ,
    
      
      
      currency_code ,
    
      
      
      request_amount ,
    
      
      
      reporting_currency_code ,
    
      
      
      request_reporting_amount ,
    
      
      
      max_auto_approve_currency_code ,
    
      
      
      max_auto_approve_amount ,
    
      
      
      max_auto_approve_reporting_amount ,
    
      
      
      max_buyer_risk_score ,
    
      
      
      fx_rate ,
    
      
      
      fx_rate_source ,
    
      
      
      fx_rate_date ,
    
      
      
      is_fx_rate_stale ,
    
      
      
      time_zone ,
    
      
      
      ordered_local_date ,
    
      
      
      delivery_local_date ,
    
      
      
      request_local_date ,
    
      
      
      statutory_withdrawal_end_local_date ,
    
      
      
      return_window_end_local_date ,
    
      
      
      holiday_extension_end_local_date ,
    
      
      
      ordered_at ,
    
      
      
      latest_delivery_at ,
    
      
      
      return_requested_at 
    
  )
 (
      
    select return_id, seller_id, marketplace_id, marketplace_code, order_id, amazon_rma_id, sku, asin, item_name, seller_product_name, product_category, return_request_status, return_reason, return_quantity, is_in_policy, has_a_to_z_claim, buyer_risk_score, decision, decision_rule, refund_decision_rule_id, policy_clause, return_window_policy_rule_id, holiday_extension_policy_rule_id, return_window_days, statutory_withdrawal_days, currency_code, request_amount, reporting_currency_code, request_reporting_amount, max_auto_approve_currency_code, max_auto_approve_amount, max_auto_approve_reporting_amount, max_buyer_risk_score, fx_rate, fx_rate_source, fx_rate_date, is_fx_rate_stale, time_zone, ordered_local_date, delivery_local_date, request_local_date, statutory_withdrawal_end_local_date, return_window_end_local_date, holiday_extension_end_local_date, ordered_at, latest_delivery_at, return_requested_at
    from (
        with

mfn_returns as (
    select * from "acorn"."staging"."stg_spapi__mfn_returns"
    
    where
        coalesce(lower(return_request_status), '')
        not in ('closed', 'rejected', 'declined', 'cancelled', 'canceled')
),

refunds as (
    select * from "acorn"."marts"."fct_refund_reconciliation"
),


orders as (
    select * from "acorn"."staging"."stg_spapi__orders"
    where order_id in (select mfn_returns.order_id from mfn_returns)
),

order_items as (
    select * from "acorn"."staging"."stg_spapi__order_items"
    where order_id in (select mfn_returns.order_id from mfn_returns)
),

marketplaces as (
    select * from "acorn"."seeds"."marketplaces"
),

policy_rules as (
    select * from "acorn"."seeds"."policy_rules"
    where
        rule_name in (
            'return_window_days',
            'statutory_withdrawal_days',
            'holiday_return_deadline_days'
        )
),

refund_decision_rules as (
    select * from "acorn"."seeds"."refund_decision_rules"
),

seller_sku_categories as (
    select * from "acorn"."seeds"."seller_sku_categories"
),

seller_product_names as (
    select * from "acorn"."seeds"."seller_product_names"
),

buyer_risk_scores as (
    select * from "acorn"."intermediate"."int_buyer_risk_scores"
),

fx_rates as (
    select * from "acorn"."intermediate"."int_fx_rates"
),


refunds_aggregated_to_order_sku as (
    select
        seller_id,
        order_id,
        sku,
        max(posted_at) as last_refunded_at
    from refunds
    group by 1, 2, 3
),

order_items_aggregated_to_order_sku as (
    select
        seller_id,
        order_id,
        sku,
        sum(item_price_amount) as item_price_amount,
        sum(quantity_ordered) as quantity_ordered
    from order_items
    group by 1, 2, 3
),

requests_joined as (
    select
        mfn_returns.return_id,
        mfn_returns.seller_id,
        mfn_returns.marketplace_id,
        marketplaces.marketplace_code,
        marketplaces.time_zone,
        mfn_returns.order_id,
        mfn_returns.amazon_rma_id,
        mfn_returns.sku,
        mfn_returns.asin,
        mfn_returns.item_name,
        seller_product_names.seller_product_name,
        coalesce(seller_sku_categories.product_category, 'any') as product_category,
        mfn_returns.return_request_status,
        mfn_returns.return_reason,
        mfn_returns.return_quantity,
        mfn_returns.is_in_policy,
        coalesce(
            lower(mfn_returns.a_to_z_claim_status) in ('y', 'yes', 'true'),
            false
        ) as has_a_to_z_claim,
        buyer_risk_scores.buyer_risk_score,
        mfn_returns.currency_code,
        
        coalesce(
            order_items_aggregated_to_order_sku.item_price_amount
            * mfn_returns.return_quantity
            / nullif(order_items_aggregated_to_order_sku.quantity_ordered, 0),
            mfn_returns.order_amount
        ) as request_amount,
        orders.purchased_at as ordered_at,
        orders.latest_delivery_at,
        mfn_returns.return_requested_at,
        cast(timezone(marketplaces.time_zone, orders.purchased_at) as date)
            as ordered_local_date,
        cast(timezone(marketplaces.time_zone, orders.latest_delivery_at) as date)
            as delivery_local_date,
        
        cast(timezone('UTC', mfn_returns.return_requested_at) as date)
            as request_local_date
    from mfn_returns
    left join marketplaces
        on mfn_returns.marketplace_id = marketplaces.marketplace_id
    left join orders
        on mfn_returns.order_id = orders.order_id
    left join order_items_aggregated_to_order_sku
        on
            mfn_returns.order_id = order_items_aggregated_to_order_sku.order_id
            and mfn_returns.sku = order_items_aggregated_to_order_sku.sku
    left join seller_sku_categories
        on
            mfn_returns.seller_id = seller_sku_categories.seller_id
            and mfn_returns.sku = seller_sku_categories.sku
    left join seller_product_names
        on
            mfn_returns.seller_id = seller_product_names.seller_id
            and mfn_returns.sku = seller_product_names.sku
    left join buyer_risk_scores
        on
            mfn_returns.seller_id = buyer_risk_scores.seller_id
            and mfn_returns.order_id = buyer_risk_scores.order_id
    left join refunds_aggregated_to_order_sku
        on
            mfn_returns.seller_id = refunds_aggregated_to_order_sku.seller_id
            and mfn_returns.order_id = refunds_aggregated_to_order_sku.order_id
            and mfn_returns.sku = refunds_aggregated_to_order_sku.sku
            and mfn_returns.return_requested_at
            <= refunds_aggregated_to_order_sku.last_refunded_at
    where refunds_aggregated_to_order_sku.order_id is null
),


requests_joined_to_policy as (
    select
        requests_joined.*,
        return_windows.policy_rule_id as return_window_policy_rule_id,
        cast(return_windows.rule_value as integer) as return_window_days,
        cast(withdrawal_rights.rule_value as integer) as statutory_withdrawal_days,
        holiday_extensions.policy_rule_id as holiday_extension_policy_rule_id,
        cast(

    (requests_joined.delivery_local_date + cast(return_windows.rule_value as bigint) * interval 1 day) as date)
            as return_window_end_local_date,
        cast(

    (requests_joined.delivery_local_date + cast(withdrawal_rights.rule_value as bigint) * interval 1 day) as date) as statutory_withdrawal_end_local_date,
        cast(

    (holiday_extensions.effective_to + cast(holiday_extensions.rule_value as bigint) * interval 1 day) as date)
            as holiday_extension_end_local_date
    from requests_joined
    left join policy_rules as return_windows
        on
            return_windows.rule_name = 'return_window_days'
            and requests_joined.marketplace_code = return_windows.marketplace_code
    and requests_joined.request_local_date >= return_windows.effective_from
    and requests_joined.request_local_date <= coalesce(return_windows.effective_to, cast('9999-12-31' as date))
    left join policy_rules as withdrawal_rights
        on
            withdrawal_rights.rule_name = 'statutory_withdrawal_days'
            and requests_joined.marketplace_code = withdrawal_rights.marketplace_code
    and requests_joined.request_local_date >= withdrawal_rights.effective_from
    and requests_joined.request_local_date <= coalesce(withdrawal_rights.effective_to, cast('9999-12-31' as date))
    left join policy_rules as holiday_extensions
        on
            holiday_extensions.rule_name = 'holiday_return_deadline_days'
            and requests_joined.marketplace_code = holiday_extensions.marketplace_code
    and requests_joined.ordered_local_date >= holiday_extensions.effective_from
    and requests_joined.ordered_local_date <= holiday_extensions.effective_to
),


requests_joined_to_decision_rule as (
    select
        requests_joined_to_policy.*,
        refund_decision_rules.refund_decision_rule_id,
        refund_decision_rules.max_auto_approve_amount,
        refund_decision_rules.amount_currency_code as max_auto_approve_currency_code,
        refund_decision_rules.max_buyer_risk_score
    from requests_joined_to_policy
    left join refund_decision_rules
        on
            requests_joined_to_policy.marketplace_code
            = refund_decision_rules.marketplace_code
            and refund_decision_rules.product_category
            in (requests_joined_to_policy.product_category, 'any')
            and requests_joined_to_policy.request_local_date
            >= refund_decision_rules.effective_from
            and requests_joined_to_policy.request_local_date
            <= coalesce(refund_decision_rules.effective_to, cast('9999-12-31' as date))
    qualify row_number() over (
        partition by requests_joined_to_policy.return_id
        order by
            case when refund_decision_rules.product_category = 'any' then 1 else 0 end
    ) = 1
),


requests_converted as (
    select
        requests_joined_to_decision_rule.*,
        request_rates.reporting_currency_code,
        cast(coalesce(cast(null as decimal(20, 8)), request_rates.fx_rate) as decimal(20, 8)) as fx_rate,
    case
        when cast(null as decimal(20, 8)) is not null then 'amazon_applied'
        when request_rates.fx_rate is not null then 'fx_rates_seed'
    end as fx_rate_source,
    case when cast(null as decimal(20, 8)) is null then request_rates.valid_from end as fx_rate_date,
    coalesce(
        cast(null as decimal(20, 8)) is null
        and (
            request_rates.fx_rate is null
            or 
        (date_diff('day', request_rates.valid_from::timestamp, requests_joined_to_decision_rule.request_local_date::timestamp ))
    
            > 7
        ),
        false
    ) as is_fx_rate_stale,
        cast(case request_rates.reporting_minor_unit_exponent
        when 0 then cast(round(requests_joined_to_decision_rule.request_amount * request_rates.fx_rate, 0) as decimal(38, 4))
        when 1 then cast(round(requests_joined_to_decision_rule.request_amount * request_rates.fx_rate, 1) as decimal(38, 4))
        when 2 then cast(round(requests_joined_to_decision_rule.request_amount * request_rates.fx_rate, 2) as decimal(38, 4))
        when 3 then cast(round(requests_joined_to_decision_rule.request_amount * request_rates.fx_rate, 3) as decimal(38, 4))
        else cast(round(requests_joined_to_decision_rule.request_amount * request_rates.fx_rate, 4) as decimal(38, 4))
    end as decimal(20, 4)) as request_reporting_amount,
        cast(case threshold_rates.reporting_minor_unit_exponent
        when 0 then cast(round(requests_joined_to_decision_rule.max_auto_approve_amount * threshold_rates.fx_rate, 0) as decimal(38, 4))
        when 1 then cast(round(requests_joined_to_decision_rule.max_auto_approve_amount * threshold_rates.fx_rate, 1) as decimal(38, 4))
        when 2 then cast(round(requests_joined_to_decision_rule.max_auto_approve_amount * threshold_rates.fx_rate, 2) as decimal(38, 4))
        when 3 then cast(round(requests_joined_to_decision_rule.max_auto_approve_amount * threshold_rates.fx_rate, 3) as decimal(38, 4))
        else cast(round(requests_joined_to_decision_rule.max_auto_approve_amount * threshold_rates.fx_rate, 4) as decimal(38, 4))
    end as decimal(20, 4)) as max_auto_approve_reporting_amount
    from requests_joined_to_decision_rule
    left join fx_rates as request_rates
        on
            requests_joined_to_decision_rule.currency_code
            = request_rates.from_currency_code
            and requests_joined_to_decision_rule.request_local_date
            >= request_rates.valid_from
            and (
                request_rates.valid_to is null
                or requests_joined_to_decision_rule.request_local_date
                < request_rates.valid_to
            )
    left join fx_rates as threshold_rates
        on
            requests_joined_to_decision_rule.max_auto_approve_currency_code
            = threshold_rates.from_currency_code
            and requests_joined_to_decision_rule.request_local_date
            >= threshold_rates.valid_from
            and (
                threshold_rates.valid_to is null
                or requests_joined_to_decision_rule.request_local_date
                < threshold_rates.valid_to
            )
),


requests_judged_on_policy as (
    select
        *,
        case
            when delivery_local_date is null then 'delivery_date_unknown'
            when request_local_date <= statutory_withdrawal_end_local_date
                then 'statutory_withdrawal'
            when request_local_date <= return_window_end_local_date then 'return_window'
            when request_local_date <= holiday_extension_end_local_date
                then 'holiday_extension'
            when return_window_days is null then 'no_return_window_rule'
            else 'outside_return_window'
        end as policy_clause
    from requests_converted
),


decided as (
    select
        *,
        case
            when buyer_risk_score > max_buyer_risk_score then 'buyer_risk_score_high'
            when has_a_to_z_claim then 'a_to_z_claim'
            when not coalesce(is_in_policy, false) then 'not_in_policy'
            when
                policy_clause
                not in ('statutory_withdrawal', 'return_window', 'holiday_extension')
                then 'outside_policy_window'
            when refund_decision_rule_id is null then 'no_auto_approve_rule'
            when
                request_reporting_amount is null
                or max_auto_approve_reporting_amount is null
                then 'value_unknown'
            when request_reporting_amount > max_auto_approve_reporting_amount
                then 'over_auto_approve_threshold'
            else 'under_auto_approve_threshold'
        end as decision_rule
    from requests_judged_on_policy
)

select
    return_id,
    seller_id,
    marketplace_id,
    marketplace_code,
    order_id,
    amazon_rma_id,
    sku,
    asin,
    item_name,
    seller_product_name,
    product_category,
    return_request_status,
    return_reason,
    cast(return_quantity as bigint) as return_quantity,
    is_in_policy,
    has_a_to_z_claim,
    cast(buyer_risk_score as decimal(9, 4)) as buyer_risk_score,
    case
        when decision_rule = 'under_auto_approve_threshold' then 'auto_approve'
        else 'manual_review'
    end as decision,
    decision_rule,
    refund_decision_rule_id,
    policy_clause,
    return_window_policy_rule_id,
    holiday_extension_policy_rule_id,
    return_window_days,
    statutory_withdrawal_days,
    currency_code,
    cast(request_amount as decimal(20, 4)) as request_amount,
    reporting_currency_code,
    request_reporting_amount,
    max_auto_approve_currency_code,
    cast(max_auto_approve_amount as decimal(20, 4)) as max_auto_approve_amount,
    max_auto_approve_reporting_amount,
    cast(max_buyer_risk_score as decimal(9, 4)) as max_buyer_risk_score,
    fx_rate,
    fx_rate_source,
    fx_rate_date,
    is_fx_rate_stale,
    time_zone,
    ordered_local_date,
    delivery_local_date,
    request_local_date,
    statutory_withdrawal_end_local_date,
    return_window_end_local_date,
    holiday_extension_end_local_date,
    ordered_at,
    latest_delivery_at,
    return_requested_at
from decided
    ) as model_subq
    );
  