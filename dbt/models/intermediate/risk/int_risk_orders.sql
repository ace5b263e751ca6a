{#- One row per order with the buyer identity the risk features group by. The
    buyer key rule is written here once: the buyer e-mail hash (needs the PII
    role), else the ship-to postal area ('area:' || hash, served without it),
    else the order itself ('order:' || order id). Keys are keyed HMAC hashes from
    extraction on: no buyer PII in clear. -#}
with

orders as (
    select * from {{ ref('stg_spapi__orders') }}
),

order_items as (
    select * from {{ ref('stg_spapi__order_items') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

order_values as (
    select
        order_id,
        sum(item_price_amount) as item_value_amount
    from order_items
    group by 1
),

orders_keyed as (
    select
        orders.seller_id,
        orders.marketplace_id,
        marketplaces.marketplace_code,
        marketplaces.time_zone,
        orders.order_id,
        case
            when orders.buyer_email_hash is not null then orders.buyer_email_hash
            when orders.ship_postal_area_hash is not null
                then 'area:' || orders.ship_postal_area_hash
            else 'order:' || orders.order_id
        end as buyer_key,
        case
            when orders.buyer_email_hash is not null then 'buyer_email'
            when orders.ship_postal_area_hash is not null then 'postal_area'
            else 'order'
        end as buyer_key_kind,
        orders.buyer_email_hash,
        orders.shipping_address_hash as address_key,
        orders.ship_postal_area_hash as area_key,
        orders.fulfillment_channel,
        orders.order_status,
        coalesce(orders.order_status = 'Canceled', false) as is_canceled,
        coalesce(orders.is_business_order, false) as is_business_order,
        coalesce(orders.is_prime, false) as is_prime,
        coalesce(orders.currency_code, marketplaces.currency_code) as currency_code,
        cast(coalesce(order_values.item_value_amount, 0) as decimal(20, 4))
            as item_value_amount,
        orders.purchased_at,
        orders.latest_delivery_at as delivered_at,
        {{ to_local_date('orders.purchased_at', 'marketplaces.time_zone') }}
            as purchased_local_date,
        {{ to_local_date('orders.latest_delivery_at', 'marketplaces.time_zone') }}
            as delivered_local_date
    from orders
    left join marketplaces
        on orders.marketplace_id = marketplaces.marketplace_id
    left join order_values
        on orders.order_id = order_values.order_id
)

select * from orders_keyed
