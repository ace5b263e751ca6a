with

mfn_returns as (
    select * from {{ ref('stg_spapi__mfn_returns') }}
    {# Open: the report does not show the request as finished (Closed: refunded
       and done; Rejected/Declined/Cancelled: no refund due). #}
    where
        coalesce(lower(return_request_status), '')
        not in ('closed', 'rejected', 'declined', 'cancelled', 'canceled')
),

refunds as (
    select * from {{ ref('fct_refund_reconciliation') }}
),

{# Only the orders of open requests: a few hundred of the millions of orders. #}
orders as (
    select * from {{ ref('stg_spapi__orders') }}
    where order_id in (select mfn_returns.order_id from mfn_returns)
),

order_items as (
    select * from {{ ref('stg_spapi__order_items') }}
    where order_id in (select mfn_returns.order_id from mfn_returns)
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

policy_rules as (
    select * from {{ ref('policy_rules') }}
    where
        rule_name in (
            'return_window_days',
            'statutory_withdrawal_days',
            'holiday_return_deadline_days'
        )
),

refund_decision_rules as (
    select * from {{ ref('refund_decision_rules') }}
),

seller_sku_categories as (
    select * from {{ ref('seller_sku_categories') }}
),

seller_product_names as (
    select * from {{ ref('seller_product_names') }}
),

buyer_risk_scores as (
    select * from {{ ref('int_buyer_risk_scores') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates') }}
),

{# A refund posted for the order and SKU since the request closes it, even
    while the report (refreshed less often) still shows it open. #}
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
        {# The item's price (Orders API ItemPrice: price x quantity, shipping
            excluded) for the returned quantity; the whole order's amount from the
            report where the order's items are not in the warehouse. #}
        coalesce(
            order_items_aggregated_to_order_sku.item_price_amount
            * mfn_returns.return_quantity
            / nullif(order_items_aggregated_to_order_sku.quantity_ordered, 0),
            mfn_returns.order_amount
        ) as request_amount,
        orders.purchased_at as ordered_at,
        orders.latest_delivery_at,
        mfn_returns.return_requested_at,
        {{ to_local_date('orders.purchased_at', 'marketplaces.time_zone') }}
            as ordered_local_date,
        {{ to_local_date('orders.latest_delivery_at', 'marketplaces.time_zone') }}
            as delivery_local_date,
        {# The report's "Return request date" is a date without a time: taken
           as given (converting its midnight would move it a day in the Americas). #}
        {{ to_local_date('mfn_returns.return_requested_at', "'UTC'") }}
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

{# The policy in force on the request date; the holiday extension by purchase
    date (its period is the purchase window; the deadline is rule_value days
    after the window's end). Periods never overlap (seed data test). #}
requests_joined_to_policy as (
    select
        requests_joined.*,
        return_windows.policy_rule_id as return_window_policy_rule_id,
        cast(return_windows.rule_value as integer) as return_window_days,
        cast(withdrawal_rights.rule_value as integer) as statutory_withdrawal_days,
        holiday_extensions.policy_rule_id as holiday_extension_policy_rule_id,
        {{ policy_window_end_local_date('return_windows', 'requests_joined.delivery_local_date') }}
            as return_window_end_local_date,
        {{ policy_window_end_local_date(
            'withdrawal_rights', 'requests_joined.delivery_local_date'
        ) }} as statutory_withdrawal_end_local_date,
        {{ holiday_extension_end_local_date('holiday_extensions') }}
            as holiday_extension_end_local_date
    from requests_joined
    left join policy_rules as return_windows
        on
            return_windows.rule_name = 'return_window_days'
            and {{ policy_rule_in_force(
                'return_windows', 'requests_joined.marketplace_code',
                'requests_joined.request_local_date',
            ) }}
    left join policy_rules as withdrawal_rights
        on
            withdrawal_rights.rule_name = 'statutory_withdrawal_days'
            and {{ policy_rule_in_force(
                'withdrawal_rights', 'requests_joined.marketplace_code',
                'requests_joined.request_local_date',
            ) }}
    left join policy_rules as holiday_extensions
        on
            holiday_extensions.rule_name = 'holiday_return_deadline_days'
            and {{ holiday_extension_covers(
                'holiday_extensions', 'requests_joined.marketplace_code',
                'requests_joined.ordered_local_date',
            ) }}
),

{# The seller's auto-approve rule: the SKU's category row wins over 'any'. #}
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

{# Reporting amounts at the fx_rates seed rate in force on the request date
    (no money has moved yet, so there is no rate Amazon applied). #}
requests_converted as (
    select
        requests_joined_to_decision_rule.*,
        request_rates.reporting_currency_code,
        {{ fx_rate_columns(
            'cast(null as decimal(20, 8))', 'request_rates.fx_rate',
            'request_rates.valid_from', 'requests_joined_to_decision_rule.request_local_date',
        ) }},
        {{ to_reporting_amount(
            'requests_joined_to_decision_rule.request_amount',
            'request_rates.fx_rate', 'request_rates.reporting_minor_unit_exponent',
        ) }} as request_reporting_amount,
        {{ to_reporting_amount(
            'requests_joined_to_decision_rule.max_auto_approve_amount',
            'threshold_rates.fx_rate', 'threshold_rates.reporting_minor_unit_exponent',
        ) }} as max_auto_approve_reporting_amount
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

{# The clause the request falls under, most protective first. #}
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

{# First matching rule decides (documented in the mart's yml). #}
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
