{#- One row per return: a (seller, order, SKU) with a buyer refund line
    (int_refunds_joined_to_charges: refunds, A-to-z claims, chargebacks), an FBA
    return or an MFN return request. Its context, money, reason and condition,
    the dates the return window is judged on and the per-return flags; the
    look-back features over a buyer's returns are int_return_risk_features'. -#}
with

refund_lines as (
    select * from {{ ref('int_refunds_joined_to_charges') }}
    where order_id is not null and sku is not null
),

fba_returns as (
    select * from {{ ref('stg_spapi__fba_returns') }}
    where order_id is not null and sku is not null
),

mfn_returns as (
    select * from {{ ref('stg_spapi__mfn_returns') }}
    where order_id is not null and sku is not null
),

orders as (
    select * from {{ ref('int_risk_orders') }}
),

order_items as (
    select * from {{ ref('stg_spapi__order_items') }}
),

{# The unit price the money-owed returnless rule compares (Shipment principal per unit). #}
valued_order_lines as (
    select * from {{ ref('int_order_lines_valued_for_reimbursement') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

seller_sku_categories as (
    select * from {{ ref('seller_sku_categories') }}
),

return_fault_rules as (
    select * from {{ ref('return_fault_rules') }}
),

policy_rules as (
    select * from {{ ref('policy_rules') }}
    where
        rule_name in (
            'return_window_days',
            'holiday_return_deadline_days',
            'fba_returnless_refund_max_unit_price'
        )
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

{# Money back to the buyer for the line; a duplicate (Amazon reposting a refund,
   or refunding a unit already refunded) is Amazon's error, not the buyer's doing. #}
refunds_aggregated as (
    select
        seller_id,
        marketplace_id,
        order_id,
        sku,
        max(currency_code) as currency_code,
        min(posted_at) as first_refunded_at,
        sum(case when is_duplicate_refund then 0 else buyer_refunded_amount end)
            as refund_amount
    from refund_lines
    group by 1, 2, 3, 4
),

fba_returns_aggregated as (
    {{ fba_returns_aggregated_to_order_lines('fba_returns') }}
),

mfn_returns_aggregated as (
    {{ mfn_returns_aggregated_to_order_lines('mfn_returns') }}
),

order_items_aggregated as (
    select
        order_id,
        sku,
        max(currency_code) as currency_code,
        sum(item_price_amount) as item_value_amount,
        sum(quantity_ordered) as quantity_ordered
    from order_items
    group by 1, 2
),

return_keys as (
    select
        seller_id,
        marketplace_id,
        order_id,
        sku
    from refunds_aggregated
    union distinct
    select
        seller_id,
        marketplace_id,
        order_id,
        sku
    from fba_returns_aggregated
    union distinct
    select
        seller_id,
        marketplace_id,
        order_id,
        sku
    from mfn_returns_aggregated
),

returns_joined as (
    select
        return_keys.seller_id || ':' || return_keys.order_id || ':' || return_keys.sku
            as return_id,
        return_keys.seller_id,
        return_keys.marketplace_id,
        marketplaces.marketplace_code,
        marketplaces.time_zone,
        return_keys.order_id,
        return_keys.sku,
        {# The order's channel; an order not in the warehouse by its return report. #}
        coalesce(
            orders.fulfillment_channel,
            case
                when fba_returns_aggregated.order_id is not null then 'AFN'
                when mfn_returns_aggregated.order_id is not null then 'MFN'
            end,
            'AFN'
        ) as fulfillment_channel,
        coalesce(seller_sku_categories.product_category, 'unknown') as product_category,
        coalesce(orders.buyer_key, 'order:' || return_keys.order_id) as buyer_key,
        coalesce(orders.buyer_key_kind, 'order') as buyer_key_kind,
        orders.address_key,
        orders.area_key,
        orders.purchased_at,
        orders.delivered_at,
        orders.purchased_local_date,
        orders.delivered_local_date,
        {# When the return became known: the earliest of the MFN request, the FBA
           return and the first buyer refund (least() skips nulls on DuckDB and Spark). #}
        least(
            mfn_returns_aggregated.first_requested_at,
            fba_returns_aggregated.first_returned_at,
            refunds_aggregated.first_refunded_at
        ) as event_at,
        refunds_aggregated.first_refunded_at,
        coalesce(
            refunds_aggregated.currency_code,
            order_items_aggregated.currency_code,
            orders.currency_code,
            marketplaces.currency_code
        ) as currency_code,
        cast(greatest(coalesce(refunds_aggregated.refund_amount, 0), 0) as decimal(20, 4))
            as refund_amount,
        cast(coalesce(order_items_aggregated.item_value_amount, 0) as decimal(20, 4))
            as item_value_amount,
        coalesce(
            valued_order_lines.unit_price_amount,
            cast(
                order_items_aggregated.item_value_amount
                / nullif(order_items_aggregated.quantity_ordered, 0) as decimal(20, 4)
            )
        ) as unit_price_amount,
        coalesce(fba_returns_aggregated.return_reason, mfn_returns_aggregated.return_reason)
            as return_reason,
        fba_returns_aggregated.return_disposition,
        coalesce(fba_returns_aggregated.return_status, mfn_returns_aggregated.return_status)
            as return_status,
        refunds_aggregated.order_id is not null as has_refund,
        {# An FBA return row is a unit back at a fulfilment centre; an MFN request
           counts once its return was delivered to the seller. #}
        (
            fba_returns_aggregated.order_id is not null
            or mfn_returns_aggregated.returned_at is not null
        ) as has_physical_return,
        coalesce(orders.is_business_order, false) as is_business_order,
        coalesce(orders.is_prime, false) as is_prime
    from return_keys
    left join marketplaces
        on return_keys.marketplace_id = marketplaces.marketplace_id
    left join orders
        on
            return_keys.seller_id = orders.seller_id
            and return_keys.order_id = orders.order_id
    left join refunds_aggregated
        on
            return_keys.seller_id = refunds_aggregated.seller_id
            and return_keys.marketplace_id = refunds_aggregated.marketplace_id
            and return_keys.order_id = refunds_aggregated.order_id
            and return_keys.sku = refunds_aggregated.sku
    left join fba_returns_aggregated
        on
            return_keys.seller_id = fba_returns_aggregated.seller_id
            and return_keys.marketplace_id = fba_returns_aggregated.marketplace_id
            and return_keys.order_id = fba_returns_aggregated.order_id
            and return_keys.sku = fba_returns_aggregated.sku
    left join mfn_returns_aggregated
        on
            return_keys.seller_id = mfn_returns_aggregated.seller_id
            and return_keys.marketplace_id = mfn_returns_aggregated.marketplace_id
            and return_keys.order_id = mfn_returns_aggregated.order_id
            and return_keys.sku = mfn_returns_aggregated.sku
    left join order_items_aggregated
        on
            return_keys.order_id = order_items_aggregated.order_id
            and return_keys.sku = order_items_aggregated.sku
    left join valued_order_lines
        on
            return_keys.seller_id = valued_order_lines.seller_id
            and return_keys.marketplace_id = valued_order_lines.marketplace_id
            and return_keys.order_id = valued_order_lines.order_id
            and return_keys.sku = valued_order_lines.sku
    left join seller_sku_categories
        on
            return_keys.seller_id = seller_sku_categories.seller_id
            and return_keys.sku = seller_sku_categories.sku
),

returns_dated as (
    select
        *,
        {{ to_local_date('event_at', 'time_zone') }} as event_local_date
    from returns_joined
),

{# The return window in force on the return's date (30 days after delivery where
   a marketplace has no rule), or the holiday extension of the purchase date when
   it ends later (fct_refund_decisions reads the same rows through the same macros). #}
returns_joined_to_policy as (
    select
        returns_dated.*,
        coalesce(cast(return_windows.rule_value as integer), 30) as return_window_days,
        holiday_extensions.policy_rule_id as holiday_extension_policy_rule_id,
        returnless_rules.rule_value as returnless_max_unit_price,
        coalesce(
            {{ policy_window_end_local_date(
                'return_windows', 'returns_dated.delivered_local_date'
            ) }},
            cast({{ dbt.dateadd('day', 30, 'returns_dated.delivered_local_date') }} as date)
        ) as return_window_end_local_date,
        {{ holiday_extension_end_local_date('holiday_extensions') }}
            as holiday_extension_end_local_date
    from returns_dated
    left join policy_rules as return_windows
        on
            return_windows.rule_name = 'return_window_days'
            and {{ policy_rule_in_force(
                'return_windows', 'returns_dated.marketplace_code',
                'returns_dated.event_local_date',
            ) }}
    left join policy_rules as holiday_extensions
        on
            holiday_extensions.rule_name = 'holiday_return_deadline_days'
            and {{ holiday_extension_covers(
                'holiday_extensions', 'returns_dated.marketplace_code',
                'returns_dated.purchased_local_date',
            ) }}
    left join policy_rules as returnless_rules
        on
            returnless_rules.rule_name = 'fba_returnless_refund_max_unit_price'
            and {{ policy_rule_in_force(
                'returnless_rules', 'returns_dated.marketplace_code',
                'returns_dated.event_local_date',
            ) }}
),

{# Seller-fault reasons (seed return_fault_rules.claims_item_fault) and the FBA
   statuses that say nothing or something else came back. #}
item_fault_reasons as (
    select code from return_fault_rules
    where code_type = 'return_reason' and claims_item_fault
),

empty_or_wrong_item_statuses as (
    select code from return_fault_rules
    where code_type = 'fba_status'
),

returns_windowed as (
    select
        returns_joined_to_policy.*,
        case
            when
                returns_joined_to_policy.holiday_extension_end_local_date
                > returns_joined_to_policy.return_window_end_local_date
                then returns_joined_to_policy.holiday_extension_end_local_date
            else returns_joined_to_policy.return_window_end_local_date
        end as window_end_local_date
    from returns_joined_to_policy
),

returns_flagged as (
    select
        returns_windowed.*,
        {{ is_returnless_unit_price(
            'returns_windowed.unit_price_amount', 'returns_windowed.returnless_max_unit_price'
        ) }} as is_returnless_eligible,
        {# Delivery unknown: neutral values (returned on delivery, a whole window left). #}
        cast(coalesce(
            {{ dbt.datediff(
                'returns_windowed.delivered_local_date', 'returns_windowed.event_local_date', 'day'
            ) }},
            0
        ) as double) as days_delivery_to_return,
        cast(coalesce(
            {{ dbt.datediff(
                'returns_windowed.event_local_date', 'returns_windowed.window_end_local_date', 'day'
            ) }},
            returns_windowed.return_window_days
        ) as double) as days_before_window_end,
        coalesce(returns_windowed.return_disposition = 'CUSTOMER_DAMAGED', false)
            as is_used_condition,
        coalesce(
            returns_windowed.return_disposition = 'SELLABLE'
            and returns_windowed.return_reason
            in (select item_fault_reasons.code from item_fault_reasons),
            false
        ) as is_reason_disposition_contradiction,
        coalesce(
            returns_windowed.return_status
            in (select empty_or_wrong_item_statuses.code from empty_or_wrong_item_statuses),
            false
        ) as is_empty_or_wrong_item,
        coalesce(
            returns_windowed.first_refunded_at
            <= {{ dbt.dateadd(
                'day', -var('risk_refund_without_return_after_days', 14), 'as_of.as_of_at'
            ) }},
            false
        ) as is_refund_settled_long_enough
    from returns_windowed
    cross join as_of
),

final as (
    select
        return_id,
        seller_id,
        marketplace_id,
        marketplace_code,
        order_id,
        sku,
        fulfillment_channel,
        product_category,
        buyer_key,
        buyer_key_kind,
        address_key,
        area_key,
        purchased_at,
        delivered_at,
        event_at,
        event_local_date,
        currency_code,
        refund_amount,
        item_value_amount,
        return_reason,
        return_disposition,
        return_status,
        has_refund,
        has_physical_return,
        is_returnless_eligible,
        has_refund and not has_physical_return and not is_returnless_eligible
        and is_refund_settled_long_enough as is_refund_without_return,
        has_refund and not has_physical_return and is_returnless_eligible
            as is_returnless_refund,
        days_before_window_end <= {{ var('risk_late_in_window_days', 3) }}
        and delivered_at is not null as is_late_in_window,
        is_used_condition,
        is_reason_disposition_contradiction,
        is_empty_or_wrong_item,
        is_business_order,
        is_prime,
        days_delivery_to_return,
        days_before_window_end,
        return_window_days,
        window_end_local_date,
        holiday_extension_policy_rule_id
    from returns_flagged
)

select * from final
