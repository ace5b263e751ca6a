with

source as (
    select * from {{ source('spapi', 'mfn_returns') }}
),

renamed as (
    select
        ----------  ids
        return_id,
        seller_id,
        marketplace_id,
        order_id,
        amazon_rma_id,
        merchant_rma_id,
        tracking_id,
        asin,
        merchant_sku as sku,
        safet_claim_id,

        ----------  strings
        return_request_status,
        label_type,
        return_carrier,
        label_to_be_paid_by,
        a_to_z_claim as a_to_z_claim_status,
        item_name,
        return_reason,
        return_type,
        resolution,
        safet_claim_state,
        upper(currency_code) as currency_code,

        ----------  numerics
        cast(label_cost as decimal(20, 4)) as label_cost_amount,
        cast(order_amount as decimal(20, 4)) as order_amount,
        cast(refunded_amount as decimal(20, 4)) as refunded_amount,
        cast(safet_claim_reimbursement_amount as decimal(20, 4))
            as safet_claim_reimbursement_amount,
        return_quantity,
        order_quantity,

        ----------  booleans
        upper(is_prime) in ('Y', 'YES', 'TRUE') as is_prime,
        upper(in_policy) in ('Y', 'YES', 'TRUE') as is_in_policy,

        ----------  timestamps
        ordered_at,
        return_requested_at,
        return_delivered_at,

        ----------  metadata
        _run_id
    from source
)

select * from renamed
