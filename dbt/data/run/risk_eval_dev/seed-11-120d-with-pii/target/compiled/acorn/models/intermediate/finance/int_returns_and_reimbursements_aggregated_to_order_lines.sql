with

fba_returns as (
    select * from "acorn"."staging"."stg_spapi__fba_returns"
),

reimbursement_lines as (
    select * from "acorn"."staging"."stg_spapi__reimbursements"
    where
        order_id is not null
        and reimbursement_reason in ('CustomerReturn', 'Reimbursement_Reversal')
),


reimbursements as (
    select
        reimbursement_id,
        seller_id,
        marketplace_id,
        order_id,
        sku,
        currency_code,
        max(reimbursement_reason) as reimbursement_reason,
        max(approved_at) as approved_at,
        max(_request_id) as request_id,
        sum(total_amount) as total_amount
    from reimbursement_lines
    group by 1, 2, 3, 4, 5, 6
),

reimbursements_by_order_line as (
    select
        seller_id,
        marketplace_id,
        order_id,
        sku,
        count(*) as reimbursement_count,
        sum(total_amount) as reimbursed_amount,
        
    string_agg(
        'reimbursement ' || reimbursement_id || ' (' || reimbursement_reason || ') approved ' || coalesce(cast(cast(approved_at as date) as TEXT), 'n/a') || ': ' || coalesce(cast(total_amount as TEXT), 'n/a') || ' ' || currency_code || ', SP-API request ' || coalesce(cast(request_id as TEXT), 'n/a'),
        '; '
        order by approved_at, reimbursement_id
        ) as reimbursements_evidence
    from reimbursements
    group by 1, 2, 3, 4
),

returns_by_order_line as (
    select
        seller_id,
        marketplace_id,
        order_id,
        sku,
        count(*) as return_count,
        
    string_agg(
        'return ' || coalesce(cast(license_plate_number as TEXT), 'n/a') || ' on ' || coalesce(cast(cast(returned_at as date) as TEXT), 'n/a') || ' status ' || coalesce(cast(return_status as TEXT), 'n/a') || ' disposition ' || coalesce(cast(detailed_disposition as TEXT), 'n/a') || ', SP-API request ' || coalesce(cast(_request_id as TEXT), 'n/a'),
        '; '
        order by returned_at, return_id
        ) as returns_evidence
    from fba_returns
    group by 1, 2, 3, 4
),

order_line_keys as (
    select
        seller_id,
        marketplace_id,
        order_id,
        sku
    from reimbursements_by_order_line
    union distinct
    select
        seller_id,
        marketplace_id,
        order_id,
        sku
    from returns_by_order_line
)

select
    order_line_keys.seller_id,
    order_line_keys.marketplace_id,
    order_line_keys.order_id,
    order_line_keys.sku,
    coalesce(returns_by_order_line.return_count, 0) as return_count,
    returns_by_order_line.returns_evidence,
    coalesce(reimbursements_by_order_line.reimbursement_count, 0) as reimbursement_count,
    reimbursements_by_order_line.reimbursed_amount,
    reimbursements_by_order_line.reimbursements_evidence
from order_line_keys
left join returns_by_order_line
    on
        order_line_keys.seller_id = returns_by_order_line.seller_id
        and order_line_keys.marketplace_id = returns_by_order_line.marketplace_id
        and order_line_keys.order_id = returns_by_order_line.order_id
        and order_line_keys.sku = returns_by_order_line.sku
left join reimbursements_by_order_line
    on
        order_line_keys.seller_id = reimbursements_by_order_line.seller_id
        and order_line_keys.marketplace_id = reimbursements_by_order_line.marketplace_id
        and order_line_keys.order_id = reimbursements_by_order_line.order_id
        and order_line_keys.sku = reimbursements_by_order_line.sku