{#- One row per buyer key (seller, marketplace, buyer_key) with at least one
    return known at the build's as_of (int_as_of): the buyer's history up to
    that instant, never later. Look-back windows are (as_of - N days, as_of];
    the other counts cover the whole history to as_of. -#}
with

returns as (
    select * from {{ ref('int_risk_returns') }}
),

orders as (
    select * from {{ ref('int_risk_orders') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

returns_known as (
    select returns.*
    from returns
    cross join as_of
    where returns.event_at <= as_of.as_of_at
),

orders_known as (
    select orders.*
    from orders
    cross join as_of
    where orders.purchased_at <= as_of.as_of_at
),

{# Distinct buyer e-mails per shipping address, up to as_of. #}
address_buyer_keys as (
    select
        seller_id,
        marketplace_id,
        address_key,
        count(distinct buyer_email_hash) as buyer_key_count
    from orders_known
    where address_key is not null
    group by 1, 2, 3
),

buyer_addresses as (
    select
        orders_known.seller_id,
        orders_known.marketplace_id,
        orders_known.buyer_key,
        max(address_buyer_keys.buyer_key_count) as address_buyer_keys
    from orders_known
    inner join address_buyer_keys
        on
            orders_known.seller_id = address_buyer_keys.seller_id
            and orders_known.marketplace_id = address_buyer_keys.marketplace_id
            and orders_known.address_key = address_buyer_keys.address_key
    group by 1, 2, 3
),

buyer_orders as (
    select
        seller_id,
        marketplace_id,
        buyer_key,
        count(*) as order_count
    from orders_known
    where not is_canceled
    group by 1, 2, 3
),

buyer_returns as (
    select
        returns_known.seller_id,
        returns_known.marketplace_id,
        returns_known.buyer_key,
        max(returns_known.buyer_key_kind) as buyer_key_kind,
        max(returns_known.currency_code) as currency_code,
        count(*) as return_count,
        sum(
            case
                when
                    returns_known.event_at
                    > {{ dbt.dateadd('day', -30, 'as_of.as_of_at') }}
                    then 1
                else 0
            end
        ) as returns_30d,
        sum(
            case
                when
                    returns_known.event_at
                    > {{ dbt.dateadd('day', -90, 'as_of.as_of_at') }}
                    then 1
                else 0
            end
        ) as returns_90d,
        sum(
            case
                when
                    returns_known.event_at
                    > {{ dbt.dateadd('day', -365, 'as_of.as_of_at') }}
                    then 1
                else 0
            end
        ) as returns_365d,
        sum(
            case
                when
                    returns_known.event_at
                    > {{ dbt.dateadd('day', -365, 'as_of.as_of_at') }}
                    then returns_known.refund_amount
                else 0
            end
        ) as refund_amount_365d,
        sum(case when returns_known.is_reason_disposition_contradiction then 1 else 0 end)
            as contradictions,
        sum(case when returns_known.is_refund_without_return then 1 else 0 end)
            as refunds_without_return,
        sum(case when returns_known.is_returnless_refund then 1 else 0 end)
            as returnless_refunds,
        sum(
            case
                when returns_known.is_late_in_window and returns_known.is_used_condition then 1
                else 0
            end
        ) as used_late_returns,
        max(returns_known.event_at) as last_return_at
    from returns_known
    cross join as_of
    group by 1, 2, 3
)

select
    buyer_returns.seller_id || ':' || buyer_returns.marketplace_id || ':' || buyer_returns.buyer_key
        as buyer_risk_id,
    buyer_returns.seller_id,
    buyer_returns.marketplace_id,
    buyer_returns.buyer_key,
    buyer_returns.buyer_key_kind,
    cast(coalesce(buyer_orders.order_count, 0) as integer) as order_count,
    cast(buyer_returns.return_count as integer) as return_count,
    cast(buyer_returns.returns_30d as integer) as returns_30d,
    cast(buyer_returns.returns_90d as integer) as returns_90d,
    cast(buyer_returns.returns_365d as integer) as returns_365d,
    cast(buyer_returns.refund_amount_365d as decimal(20, 4)) as refund_amount_365d,
    buyer_returns.currency_code,
    cast(buyer_returns.contradictions as integer) as contradictions,
    cast(buyer_returns.refunds_without_return as integer) as refunds_without_return,
    cast(buyer_returns.returnless_refunds as integer) as returnless_refunds,
    cast(buyer_returns.used_late_returns as integer) as used_late_returns,
    cast(greatest(coalesce(buyer_addresses.address_buyer_keys, 0), 1) as integer)
        as address_buyer_keys,
    buyer_returns.last_return_at
from buyer_returns
left join buyer_orders
    on
        buyer_returns.seller_id = buyer_orders.seller_id
        and buyer_returns.marketplace_id = buyer_orders.marketplace_id
        and buyer_returns.buyer_key = buyer_orders.buyer_key
left join buyer_addresses
    on
        buyer_returns.seller_id = buyer_addresses.seller_id
        and buyer_returns.marketplace_id = buyer_addresses.marketplace_id
        and buyer_returns.buyer_key = buyer_addresses.buyer_key
