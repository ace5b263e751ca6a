with

source as (
    select * from {{ source('spapi', 'settlement_lines') }}
),

renamed as (
    select
        ----------  ids
        settlement_id || '-' || cast(line_number as varchar) as settlement_line_id,
        settlement_id,
        seller_id,
        marketplace_id,
        order_id,
        merchant_order_id,
        adjustment_id,
        shipment_id,
        fulfillment_id,
        order_item_code as order_item_id,
        merchant_order_item_id,
        merchant_adjustment_item_id as order_adjustment_item_id,
        promotion_id,

        ----------  strings
        transaction_type,
        amount_type,
        amount_description,
        marketplace_name,
        sku,
        upper(currency_code) as currency_code,

        ----------  numerics
        line_number,
        cast(amount as decimal(20, 4)) as amount,
        quantity_purchased,

        ----------  timestamps
        posted_at,
        settlement_ended_at,

        ----------  metadata
        _run_id,
    from source
)

select * from renamed
