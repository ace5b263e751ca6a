{#- One row per return (int_risk_returns) with what was known about its buyer and
    address when it was made: counts over the buyer key's returns and orders
    (same seller and marketplace) in the look-back windows (t - N days, t] of the
    return's event_at, never later rows (numeric range frames over epoch
    microseconds, macros/portable.sql), and the SKU's, marketplace's and postal
    area's return rates (whole history: norms, not the buyer's behaviour). The
    scoring task (acorn.risk) reads this table read-only; column names are the
    issue #15 contract. -#}
with

returns as (
    select * from {{ ref('int_risk_returns') }}
),

orders as (
    select * from {{ ref('int_risk_orders') }}
),

order_items as (
    select * from {{ ref('stg_spapi__order_items') }}
),

{# Order lines not cancelled: the denominators of the return rates. #}
order_lines as (
    select
        orders.seller_id,
        orders.marketplace_id,
        orders.area_key,
        order_items.sku
    from order_items
    inner join orders
        on order_items.order_id = orders.order_id
    where not orders.is_canceled
),

{# Each buyer key's returns and orders on one time line. #}
buyer_events as (
    select
        seller_id,
        marketplace_id,
        buyer_key,
        return_id,
        {{ epoch_microseconds('event_at') }} as event_us,
        1 as is_return,
        0 as is_order,
        refund_amount,
        cast(0 as decimal(20, 4)) as ordered_value_amount,
        case when is_reason_disposition_contradiction then 1 else 0 end as is_contradiction,
        case when is_refund_without_return then 1 else 0 end as is_refund_without_return,
        case when is_returnless_refund then 1 else 0 end as is_returnless_refund,
        case when is_late_in_window and is_used_condition then 1 else 0 end as is_used_late
    from returns
    union all
    select
        seller_id,
        marketplace_id,
        buyer_key,
        cast(null as {{ dbt.type_string() }}) as return_id,
        {{ epoch_microseconds('purchased_at') }} as event_us,
        0 as is_return,
        1 as is_order,
        cast(0 as decimal(20, 4)) as refund_amount,
        item_value_amount as ordered_value_amount,
        0 as is_contradiction,
        0 as is_refund_without_return,
        0 as is_returnless_refund,
        0 as is_used_late
    from orders
    where not is_canceled and purchased_at is not null
),

buyer_windows as (
    select
        return_id,
        sum(is_return) over (
            partition by seller_id, marketplace_id, buyer_key
            order by event_us {{ lookback_frame(30) }}
        ) as buyer_returns_30d,
        sum(is_return) over (
            partition by seller_id, marketplace_id, buyer_key
            order by event_us {{ lookback_frame(90) }}
        ) as buyer_returns_90d,
        sum(is_return) over (
            partition by seller_id, marketplace_id, buyer_key
            order by event_us {{ lookback_frame(365) }}
        ) as buyer_returns_365d,
        sum(is_order) over (
            partition by seller_id, marketplace_id, buyer_key
            order by event_us {{ lookback_frame(365) }}
        ) as buyer_orders_365d,
        sum(is_contradiction) over (
            partition by seller_id, marketplace_id, buyer_key
            order by event_us {{ lookback_frame(365) }}
        ) as buyer_contradictions_365d,
        sum(is_refund_without_return) over (
            partition by seller_id, marketplace_id, buyer_key
            order by event_us {{ lookback_frame(365) }}
        ) as buyer_refunds_without_return_365d,
        sum(is_returnless_refund) over (
            partition by seller_id, marketplace_id, buyer_key
            order by event_us {{ lookback_frame(365) }}
        ) as buyer_returnless_refunds_365d,
        sum(is_used_late) over (
            partition by seller_id, marketplace_id, buyer_key
            order by event_us {{ lookback_frame(365) }}
        ) as buyer_used_late_returns_365d,
        sum(refund_amount) over (
            partition by seller_id, marketplace_id, buyer_key
            order by event_us {{ lookback_frame(365) }}
        ) as buyer_refund_amount_365d,
        sum(ordered_value_amount) over (
            partition by seller_id, marketplace_id, buyer_key
            order by event_us {{ lookback_frame(365) }}
        ) as buyer_ordered_value_amount_365d
    from buyer_events
),

{# Each shipping address's returns and orders on one time line. The first order
   of each buyer e-mail and the first return of each buyer key at the address are
   marked, so running sums count distinct buyers up to the row (no look-ahead;
   Spark has no distinct window aggregates). #}
address_returns as (
    select
        seller_id,
        marketplace_id,
        address_key,
        return_id,
        {{ epoch_microseconds('event_at') }} as event_us,
        1 as is_return,
        case
            when
                row_number() over (
                    partition by seller_id, marketplace_id, address_key, buyer_key
                    order by event_at, return_id
                ) = 1
                then 1
            else 0
        end as is_first_return_of_buyer,
        0 as is_first_order_of_buyer
    from returns
    where address_key is not null
),

address_orders as (
    select
        seller_id,
        marketplace_id,
        address_key,
        cast(null as {{ dbt.type_string() }}) as return_id,
        {{ epoch_microseconds('purchased_at') }} as event_us,
        0 as is_return,
        0 as is_first_return_of_buyer,
        case
            when
                buyer_email_hash is not null
                and row_number() over (
                    partition by seller_id, marketplace_id, address_key, buyer_email_hash
                    order by purchased_at, order_id
                ) = 1
                then 1
            else 0
        end as is_first_order_of_buyer
    from orders
    where address_key is not null and purchased_at is not null
),

address_events as (
    select * from address_returns
    union all
    select * from address_orders
),

address_windows as (
    select
        return_id,
        sum(is_return) over (
            partition by seller_id, marketplace_id, address_key
            order by event_us {{ lookback_frame(365) }}
        ) as address_returns_365d,
        sum(is_first_return_of_buyer) over (
            partition by seller_id, marketplace_id, address_key
            order by event_us range between unbounded preceding and current row
        ) as address_buyers_with_returns,
        sum(is_first_order_of_buyer) over (
            partition by seller_id, marketplace_id, address_key
            order by event_us range between unbounded preceding and current row
        ) as address_buyer_keys
    from address_events
),

sku_order_lines as (
    select
        seller_id,
        sku,
        count(*) as order_line_count
    from order_lines
    group by 1, 2
),

sku_returns as (
    select
        seller_id,
        sku,
        count(*) as return_count
    from returns
    group by 1, 2
),

marketplace_order_lines as (
    select
        seller_id,
        marketplace_id,
        count(*) as order_line_count
    from order_lines
    group by 1, 2
),

marketplace_returns as (
    select
        seller_id,
        marketplace_id,
        count(*) as return_count
    from returns
    group by 1, 2
),

area_order_lines as (
    select
        seller_id,
        marketplace_id,
        area_key,
        count(*) as order_line_count
    from order_lines
    where area_key is not null
    group by 1, 2, 3
),

area_returns as (
    select
        seller_id,
        marketplace_id,
        area_key,
        count(*) as return_count
    from returns
    where area_key is not null
    group by 1, 2, 3
),

{# Returns per order line; a returned line whose order is not in the warehouse
   still counts as ordered, so a rate never exceeds 1. #}
rates as (
    select
        returns.return_id,
        cast(sku_returns.return_count as double)
        / greatest(coalesce(sku_order_lines.order_line_count, 0), sku_returns.return_count)
            as sku_return_rate,
        cast(marketplace_returns.return_count as double)
        / greatest(
            coalesce(marketplace_order_lines.order_line_count, 0),
            marketplace_returns.return_count
        ) as marketplace_return_rate,
        cast(area_returns.return_count as double)
        / greatest(coalesce(area_order_lines.order_line_count, 0), area_returns.return_count)
            as area_return_rate
    from returns
    inner join sku_returns
        on
            returns.seller_id = sku_returns.seller_id
            and returns.sku = sku_returns.sku
    left join sku_order_lines
        on
            returns.seller_id = sku_order_lines.seller_id
            and returns.sku = sku_order_lines.sku
    inner join marketplace_returns
        on
            returns.seller_id = marketplace_returns.seller_id
            and returns.marketplace_id = marketplace_returns.marketplace_id
    left join marketplace_order_lines
        on
            returns.seller_id = marketplace_order_lines.seller_id
            and returns.marketplace_id = marketplace_order_lines.marketplace_id
    left join area_returns
        on
            returns.seller_id = area_returns.seller_id
            and returns.marketplace_id = area_returns.marketplace_id
            and returns.area_key = area_returns.area_key
    left join area_order_lines
        on
            returns.seller_id = area_order_lines.seller_id
            and returns.marketplace_id = area_order_lines.marketplace_id
            and returns.area_key = area_order_lines.area_key
),

final as (
    select
        ----------  identity / context
        returns.return_id,
        returns.seller_id,
        returns.marketplace_id,
        returns.marketplace_code,
        returns.order_id,
        returns.sku,
        returns.fulfillment_channel,
        returns.product_category,
        returns.buyer_key,
        returns.buyer_key_kind,
        returns.address_key,
        returns.area_key,
        returns.purchased_at,
        returns.delivered_at,
        returns.event_at,
        returns.event_local_date,
        returns.currency_code,
        returns.refund_amount,
        returns.item_value_amount,
        returns.return_reason,
        returns.return_disposition,
        returns.return_status,

        ----------  per-return flags
        returns.has_refund,
        returns.has_physical_return,
        returns.is_returnless_eligible,
        returns.is_refund_without_return,
        returns.is_returnless_refund,
        returns.is_late_in_window,
        returns.is_used_condition,
        returns.is_reason_disposition_contradiction,
        returns.is_empty_or_wrong_item,
        returns.is_business_order,
        returns.is_prime,

        ----------  per-return numerics
        returns.days_delivery_to_return,
        returns.days_before_window_end,
        cast(buyer_windows.buyer_returns_30d as integer) as buyer_returns_30d,
        cast(buyer_windows.buyer_returns_90d as integer) as buyer_returns_90d,
        cast(buyer_windows.buyer_returns_365d as integer) as buyer_returns_365d,
        cast(buyer_windows.buyer_orders_365d as integer) as buyer_orders_365d,
        cast(buyer_windows.buyer_returns_365d as double)
        / greatest(buyer_windows.buyer_orders_365d, 1) as buyer_return_rate,
        rates.sku_return_rate,
        rates.marketplace_return_rate,
        cast(buyer_windows.buyer_returns_365d as double)
        / greatest(buyer_windows.buyer_orders_365d, 1)
        / greatest(rates.sku_return_rate, 0.01) as buyer_return_rate_vs_sku,
        cast(buyer_windows.buyer_contradictions_365d as integer)
            as buyer_contradictions_365d,
        cast(buyer_windows.buyer_refunds_without_return_365d as integer)
            as buyer_refunds_without_return_365d,
        cast(buyer_windows.buyer_returnless_refunds_365d as integer)
            as buyer_returnless_refunds_365d,
        cast(buyer_windows.buyer_used_late_returns_365d as integer)
            as buyer_used_late_returns_365d,
        cast(buyer_windows.buyer_refund_amount_365d as double)
        / greatest(cast(buyer_windows.buyer_ordered_value_amount_365d as double), 0.01)
            as buyer_refund_value_share,
        cast(greatest(coalesce(address_windows.address_buyer_keys, 0), 1) as integer)
            as address_buyer_keys,
        cast(coalesce(address_windows.address_returns_365d, 0) as integer)
            as address_returns_365d,
        cast(coalesce(address_windows.address_buyers_with_returns, 0) as integer)
            as address_buyers_with_returns,
        coalesce(rates.area_return_rate / nullif(rates.marketplace_return_rate, 0), 1.0)
            as area_return_rate_vs_marketplace
    from returns
    inner join buyer_windows
        on returns.return_id = buyer_windows.return_id
    inner join rates
        on returns.return_id = rates.return_id
    left join address_windows
        on returns.return_id = address_windows.return_id
)

select * from final
