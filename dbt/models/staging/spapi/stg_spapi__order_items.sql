with

source as (
    select * from {{ source('spapi', 'order_items') }}
),

renamed as (
    select
        ----------  ids
        amazon_order_id || '-' || order_item_id as order_line_id,
        amazon_order_id as order_id,
        order_item_id,
        seller_id,
        marketplace_id,
        asin,
        seller_sku as sku,

        ----------  strings
        upper(currency_code) as currency_code,

        ----------  numerics
        quantity_ordered,
        quantity_shipped,
        cast(item_price_amount as decimal(20, 4)) as item_price_amount,
        cast(item_tax_amount as decimal(20, 4)) as item_tax_amount,
        cast(shipping_price_amount as decimal(20, 4)) as shipping_price_amount,
        cast(promotion_discount_amount as decimal(20, 4)) as promotion_discount_amount,

        ----------  timestamps
        purchased_at,

        ----------  metadata
        _run_id
    from source
)

select * from renamed
