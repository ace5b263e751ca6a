with

source as (
    select * from {{ source('spapi', 'reimbursements') }}
),

renamed as (
    select
        ----------  ids
        reimbursement_line_id,
        reimbursement_id,
        seller_id,
        marketplace_id,
        case_id,
        amazon_order_id as order_id,
        sku,
        fnsku,
        asin,
        original_reimbursement_id,

        ----------  strings
        reason as reimbursement_reason,
        product_name,
        condition as item_condition,
        original_reimbursement_type,
        upper(currency_code) as currency_code,

        ----------  numerics
        cast(amount_per_unit as decimal(20, 4)) as amount_per_unit,
        cast(amount_total as decimal(20, 4)) as total_amount,
        quantity_reimbursed_cash,
        quantity_reimbursed_inventory,
        quantity_reimbursed_total,

        ----------  timestamps
        approved_at,

        ----------  metadata
        _run_id
    from source
)

select * from renamed
