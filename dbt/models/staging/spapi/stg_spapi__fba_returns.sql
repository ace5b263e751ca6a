with

source as (
    select * from {{ source('spapi', 'fba_returns') }}
),

renamed as (
    select
        ----------  ids
        return_id,
        seller_id,
        marketplace_id,
        order_id,
        sku,
        asin,
        fnsku,
        fulfillment_center_id,
        license_plate_number,

        ----------  strings
        product_name,
        detailed_disposition,
        reason as return_reason,
        status as return_status,
        customer_comments,

        ----------  numerics
        quantity as returned_quantity,

        ----------  timestamps
        returned_at,

        ----------  metadata
        _run_id
    from source
)

select * from renamed
