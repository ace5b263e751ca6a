with

refund_lines as (
    select * from {{ ref('int_refunds_joined_to_charges') }}
),

fba_returns as (
    select * from {{ ref('stg_spapi__fba_returns') }}
),

mfn_returns as (
    select * from {{ ref('stg_spapi__mfn_returns') }}
),

reimbursements as (
    select * from {{ ref('stg_spapi__reimbursements') }}
    where order_id is not null
),

return_fault_rules as (
    select * from {{ ref('return_fault_rules') }}
),

{# Customer-return reimbursements and their reversals carry the order id;
   lost or damaged inventory has none and belongs to no refund line. #}
reimbursements_aggregated as (
    select
        seller_id,
        marketplace_id,
        order_id,
        sku,
        count(*) as reimbursement_count,
        sum(total_amount) as reimbursed_amount
    from reimbursements
    group by 1, 2, 3, 4
),

{# A line can come back in several returns (one per unit or LPN): the latest
   return speaks for the line, the count says there were more
   (macros/return_policy.sql, shared with the risk features). #}
fba_returns_aggregated as (
    {{ fba_returns_aggregated_to_order_lines('fba_returns') }}
),

mfn_returns_aggregated as (
    {{ mfn_returns_aggregated_to_order_lines('mfn_returns') }}
),

{# Returns and reimbursements are per order and SKU; an order and SKU can have
   several refund lines. Their counts and amounts go on one line, the first
   refund of the unit (reposts and duplicates last), so that sums over lines
   count each return and reimbursement once; the others carry 0. #}
refund_lines_ranked as (
    select
        refund_lines.*,
        row_number() over (
            partition by
                refund_lines.seller_id, refund_lines.marketplace_id,
                refund_lines.order_id, refund_lines.sku
            order by
                refund_lines.is_duplicate_refund, refund_lines.posted_at,
                refund_lines.transaction_id, refund_lines.item_index
        ) = 1 as is_first_refund_line_of_unit
    from refund_lines
),

refund_lines_joined_to_returns as (
    select
        refund_lines.refund_line_id,
        refund_lines.is_first_refund_line_of_unit,
        case
            when fba_returns_aggregated.order_id is not null then 'FBA'
            when mfn_returns_aggregated.order_id is not null then 'MFN'
        end as return_channel,
        case
            when refund_lines.is_first_refund_line_of_unit
                then
                    coalesce(
                        fba_returns_aggregated.return_count, mfn_returns_aggregated.return_count, 0
                    )
            else 0
        end as return_count,
        case
            when refund_lines.is_first_refund_line_of_unit
                then
                    coalesce(
                        fba_returns_aggregated.returned_quantity,
                        mfn_returns_aggregated.returned_quantity
                    )
            else 0
        end as returned_quantity,
        coalesce(fba_returns_aggregated.returned_at, mfn_returns_aggregated.returned_at)
            as returned_at,
        coalesce(fba_returns_aggregated.return_status, mfn_returns_aggregated.return_status)
            as return_status,
        fba_returns_aggregated.return_disposition,
        coalesce(fba_returns_aggregated.return_reason, mfn_returns_aggregated.return_reason)
            as return_reason,
        case
            when refund_lines.is_first_refund_line_of_unit
                then coalesce(reimbursements_aggregated.reimbursement_count, 0)
            else 0
        end as reimbursement_count,
        case
            when refund_lines.is_first_refund_line_of_unit
                then reimbursements_aggregated.reimbursed_amount
            when reimbursements_aggregated.reimbursed_amount is not null then 0
        end as reimbursed_amount
    from refund_lines_ranked as refund_lines
    left join fba_returns_aggregated
        on
            refund_lines.seller_id = fba_returns_aggregated.seller_id
            and refund_lines.marketplace_id = fba_returns_aggregated.marketplace_id
            and refund_lines.order_id = fba_returns_aggregated.order_id
            and refund_lines.sku = fba_returns_aggregated.sku
    left join mfn_returns_aggregated
        on
            refund_lines.seller_id = mfn_returns_aggregated.seller_id
            and refund_lines.marketplace_id = mfn_returns_aggregated.marketplace_id
            and refund_lines.order_id = mfn_returns_aggregated.order_id
            and refund_lines.sku = mfn_returns_aggregated.sku
    left join reimbursements_aggregated
        on
            refund_lines.seller_id = reimbursements_aggregated.seller_id
            and refund_lines.marketplace_id = reimbursements_aggregated.marketplace_id
            and refund_lines.order_id = reimbursements_aggregated.order_id
            and refund_lines.sku = reimbursements_aggregated.sku
),

{# Strongest evidence first: the FBA status, the disposition, then the reason. #}
faults_by_evidence as (
    select
        refund_lines_joined_to_returns.refund_line_id,
        min_by(return_fault_rules.fault, return_fault_rules.precedence) as return_fault
    from refund_lines_joined_to_returns
    inner join return_fault_rules
        on (
            return_fault_rules.code_type = 'fba_status'
            and refund_lines_joined_to_returns.return_channel = 'FBA'
            and refund_lines_joined_to_returns.return_status = return_fault_rules.code
        )
        or (
            return_fault_rules.code_type = 'fba_disposition'
            and refund_lines_joined_to_returns.return_disposition = return_fault_rules.code
        )
        or (
            return_fault_rules.code_type = 'return_reason'
            and refund_lines_joined_to_returns.return_reason = return_fault_rules.code
        )
    group by 1
)

select
    refund_lines_joined_to_returns.*,
    {# No return on record, or no rule for its evidence: unknown. #}
    coalesce(faults_by_evidence.return_fault, 'unknown') as return_fault
from refund_lines_joined_to_returns
left join faults_by_evidence
    on refund_lines_joined_to_returns.refund_line_id = faults_by_evidence.refund_line_id
