{#- One row per claim opportunity before its policy window is applied
    (fct_money_owed applies the window, the status and the reporting amount).
    Amounts are what Amazon owes, positive, in the marketplace currency; the
    reimbursement value is int_order_lines_valued_for_reimbursement's (sales
    price minus fees, POLICIES.md section 1). Refund-side claims consume the
    flags of fct_refund_reconciliation (over-refund, duplicate refund, fee
    error) rather than redefining them. -#}
with

refund_lines as (
    select * from {{ ref('fct_refund_reconciliation') }}
),

transactions as (
    select * from {{ ref('stg_spapi__transactions') }}
    where is_buyer_refund
),

order_lines as (
    select * from {{ ref('int_order_lines_valued_for_reimbursement') }}
),

{# Returns and reimbursements on record per order line, with their evidence. #}
order_line_returns as (
    select * from {{ ref('int_returns_and_reimbursements_aggregated_to_order_lines') }}
),

fba_returns as (
    select * from {{ ref('stg_spapi__fba_returns') }}
),

reimbursement_lines as (
    select * from {{ ref('stg_spapi__reimbursements') }}
    where order_id is not null
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

returnless_rules as (
    select * from {{ ref('policy_rules') }}
    where rule_name = 'fba_returnless_refund_max_unit_price'
),

{# A reimbursement id may carry several lines (same-day cases combined). #}
reimbursements as (
    select
        reimbursement_id,
        seller_id,
        marketplace_id,
        order_id,
        sku,
        currency_code,
        max(reimbursement_reason) as reimbursement_reason,
        max(original_reimbursement_id) as original_reimbursement_id,
        max(original_reimbursement_type) as original_reimbursement_type,
        max(approved_at) as approved_at,
        max(_request_id) as request_id,
        sum(total_amount) as total_amount,
        sum(quantity_reimbursed_cash) as quantity_reimbursed_cash
    from reimbursement_lines
    group by 1, 2, 3, 4, 5, 6
),

reversals as (
    select * from reimbursements
    where
        reimbursement_reason = 'Reimbursement_Reversal'
        and original_reimbursement_type = 'CustomerReturn'
),

customer_return_reimbursements as (
    select * from reimbursements
    where reimbursement_reason = 'CustomerReturn'
),

refund_lines_evidenced as (
    select
        refund_lines.*,
        transactions.total_amount as transaction_total_amount,
        refund_lines.refunded_principal_amount + refund_lines.refunded_tax_amount
        + refund_lines.refunded_shipping_amount + refund_lines.refunded_shipping_tax_amount
        - refund_lines.promotion_reversed_amount as buyer_refunded_amount,
        {{ dbt.concat([
            "'refund '", evidence_value('refund_lines.refund_id'),
            "' transaction '", 'refund_lines.transaction_id',
            "' posted '", evidence_value('refund_lines.posted_local_date'),
            "': principal refunded '", evidence_value('refund_lines.refunded_principal_amount'),
            "', net '", evidence_value('refund_lines.net_amount'), "' '",
            'refund_lines.currency_code', "', SP-API request '",
            evidence_value('transactions._request_id'),
        ]) }} as refund_evidence
    from refund_lines
    left join transactions
        on refund_lines.transaction_id = transactions.transaction_id
),

{# refund_without_return: a full FBA customer refund (not an A-to-z claim or a
   chargeback, not the second posting of a duplicate) whose unit never shows
   in the FBA customer returns report. Amazon-issued returnless refunds never
   show there either and are not reimbursed: a unit priced at or under the
   marketplace's fba_returnless_refund_max_unit_price is taken as one. #}
refunds_without_return as (
    select
        'refund_without_return' as claim_type,
        refund_lines_evidenced.refund_line_id as claim_key,
        refund_lines_evidenced.seller_id,
        refund_lines_evidenced.marketplace_id,
        refund_lines_evidenced.order_id,
        refund_lines_evidenced.sku,
        refund_lines_evidenced.refund_id,
        refund_lines_evidenced.transaction_id,
        cast(null as {{ dbt.type_string() }}) as license_plate_number,
        cast(null as {{ dbt.type_string() }}) as reimbursement_id,
        cast(null as {{ dbt.type_string() }}) as original_reimbursement_id,
        refund_lines_evidenced.currency_code,
        order_lines.unit_reimbursement_value_amount
        * refund_lines_evidenced.item_quantity as amount,
        order_line_returns.reimbursed_amount,
        coalesce(order_line_returns.reimbursement_count, 0) > 0 as is_reimbursed,
        refund_lines_evidenced.posted_at as anchor_at,
        {{ dbt.concat([
            "'FBA refund without return. '", 'order_lines.order_evidence',
            "'. '", 'refund_lines_evidenced.refund_evidence',
            "'. FBA customer returns report: no return for this order and SKU. '",
            "'Reimbursements report: '",
            "coalesce(order_line_returns.reimbursements_evidence, 'none for this order')",
        ]) }} as evidence
    from refund_lines_evidenced
    inner join order_lines
        on
            refund_lines_evidenced.seller_id = order_lines.seller_id
            and refund_lines_evidenced.marketplace_id = order_lines.marketplace_id
            and refund_lines_evidenced.order_id = order_lines.order_id
            and refund_lines_evidenced.sku = order_lines.sku
    left join order_line_returns
        on
            refund_lines_evidenced.seller_id = order_line_returns.seller_id
            and refund_lines_evidenced.marketplace_id = order_line_returns.marketplace_id
            and refund_lines_evidenced.order_id = order_line_returns.order_id
            and refund_lines_evidenced.sku = order_line_returns.sku
    left join marketplaces
        on refund_lines_evidenced.marketplace_id = marketplaces.marketplace_id
    left join returnless_rules
        on {{ policy_rule_in_force(
            'returnless_rules', 'marketplaces.marketplace_code',
            'refund_lines_evidenced.posted_local_date',
        ) }}
    where
        refund_lines_evidenced.refund_kind = 'refund'
        and not refund_lines_evidenced.is_duplicate_refund
        and order_lines.fulfillment_channel = 'AFN'
        and refund_lines_evidenced.refunded_principal_amount
        >= order_lines.charged_principal_amount
        and coalesce(order_line_returns.return_count, 0) = 0
        and not {{ is_returnless_unit_price(
            'order_lines.unit_price_amount', 'returnless_rules.rule_value'
        ) }}
),

{# FBA returns that should have been restocked or paid for: still Pending
   (return_not_credited), or reported Reimbursed (reimbursement_missing when no
   reimbursement is on record for the order line). #}
returns_to_verify as (
    select
        case fba_returns.return_status
            when 'Pending' then 'return_not_credited'
            else 'reimbursement_missing'
        end as claim_type,
        fba_returns.return_id as claim_key,
        fba_returns.seller_id,
        fba_returns.marketplace_id,
        fba_returns.order_id,
        fba_returns.sku,
        cast(null as {{ dbt.type_string() }}) as refund_id,
        cast(null as {{ dbt.type_string() }}) as transaction_id,
        fba_returns.license_plate_number,
        cast(null as {{ dbt.type_string() }}) as reimbursement_id,
        cast(null as {{ dbt.type_string() }}) as original_reimbursement_id,
        order_lines.currency_code,
        order_lines.unit_reimbursement_value_amount
        * fba_returns.returned_quantity as amount,
        order_line_returns.reimbursed_amount,
        coalesce(order_line_returns.reimbursement_count, 0) > 0 as is_reimbursed,
        fba_returns.returned_at as anchor_at,
        {{ dbt.concat([
            "case fba_returns.return_status"
            ~ " when 'Pending' then 'FBA return received, not restocked or reimbursed. '"
            ~ " else 'FBA return reported Reimbursed, reimbursement not on record. ' end",
            'order_lines.order_evidence',
            "'. FBA customer returns report: return '",
            evidence_value('fba_returns.license_plate_number'), "' on '",
            evidence_value('cast(fba_returns.returned_at as date)'), "' status '",
            evidence_value('fba_returns.return_status'), "' disposition '",
            evidence_value('fba_returns.detailed_disposition'), "', '",
            evidence_value('fba_returns.returned_quantity'), "' unit(s), SP-API request '",
            evidence_value('fba_returns._request_id'),
            "'. Reimbursements report: '",
            "coalesce(order_line_returns.reimbursements_evidence, 'none for this order')",
        ]) }} as evidence
    from fba_returns
    inner join order_lines
        on
            fba_returns.seller_id = order_lines.seller_id
            and fba_returns.marketplace_id = order_lines.marketplace_id
            and fba_returns.order_id = order_lines.order_id
            and fba_returns.sku = order_lines.sku
    left join order_line_returns
        on
            fba_returns.seller_id = order_line_returns.seller_id
            and fba_returns.marketplace_id = order_line_returns.marketplace_id
            and fba_returns.order_id = order_line_returns.order_id
            and fba_returns.sku = order_line_returns.sku
    where fba_returns.return_status in ('Pending', 'Reimbursed')
),

{# A customer-return reimbursement (not reversed) below the reimbursement
   value of the units it paid for, by more than one minor unit. #}
reimbursements_short as (
    select
        'reimbursement_short' as claim_type,
        customer_return_reimbursements.reimbursement_id as claim_key,
        customer_return_reimbursements.seller_id,
        customer_return_reimbursements.marketplace_id,
        customer_return_reimbursements.order_id,
        customer_return_reimbursements.sku,
        cast(null as {{ dbt.type_string() }}) as refund_id,
        cast(null as {{ dbt.type_string() }}) as transaction_id,
        cast(null as {{ dbt.type_string() }}) as license_plate_number,
        customer_return_reimbursements.reimbursement_id,
        cast(null as {{ dbt.type_string() }}) as original_reimbursement_id,
        customer_return_reimbursements.currency_code,
        order_lines.unit_reimbursement_value_amount
        * customer_return_reimbursements.quantity_reimbursed_cash
        - customer_return_reimbursements.total_amount as amount,
        customer_return_reimbursements.total_amount as reimbursed_amount,
        false as is_reimbursed,
        customer_return_reimbursements.approved_at as anchor_at,
        {{ dbt.concat([
            "'Customer-return reimbursement below sales price minus fees: '",
            evidence_value('order_lines.unit_reimbursement_value_amount'),
            "' '", 'customer_return_reimbursements.currency_code',
            "' per unit expected (principal '",
            evidence_value('order_lines.charged_principal_amount'),
            "', promotion '", evidence_value('order_lines.charged_promotion_amount'),
            "', fees '", evidence_value('order_lines.fees_amount'), "'). '",
            'order_lines.order_evidence',
            "'. Reimbursements report: '", 'order_line_returns.reimbursements_evidence',
        ]) }} as evidence
    from customer_return_reimbursements
    inner join order_lines
        on
            customer_return_reimbursements.seller_id = order_lines.seller_id
            and customer_return_reimbursements.marketplace_id = order_lines.marketplace_id
            and customer_return_reimbursements.order_id = order_lines.order_id
            and customer_return_reimbursements.sku = order_lines.sku
    inner join order_line_returns
        on
            customer_return_reimbursements.seller_id = order_line_returns.seller_id
            and customer_return_reimbursements.marketplace_id
            = order_line_returns.marketplace_id
            and customer_return_reimbursements.order_id = order_line_returns.order_id
            and customer_return_reimbursements.sku = order_line_returns.sku
    left join reversals
        on customer_return_reimbursements.reimbursement_id = reversals.original_reimbursement_id
    where
        reversals.reimbursement_id is null
        and order_lines.unit_reimbursement_value_amount
        * customer_return_reimbursements.quantity_reimbursed_cash
        - customer_return_reimbursements.total_amount
        > {{ minor_unit('order_lines.minor_unit_exponent') }}
),

{# A customer-return reimbursement clawed back although the unit never came
   back (no FBA return for the order line). #}
reimbursements_reversed as (
    select
        'reimbursement_reversed' as claim_type,
        reversals.reimbursement_id as claim_key,
        reversals.seller_id,
        reversals.marketplace_id,
        reversals.order_id,
        reversals.sku,
        cast(null as {{ dbt.type_string() }}) as refund_id,
        cast(null as {{ dbt.type_string() }}) as transaction_id,
        cast(null as {{ dbt.type_string() }}) as license_plate_number,
        reversals.reimbursement_id,
        reversals.original_reimbursement_id,
        reversals.currency_code,
        -reversals.total_amount as amount,
        order_line_returns.reimbursed_amount,
        false as is_reimbursed,
        reversals.approved_at as anchor_at,
        {{ dbt.concat([
            "'Customer-return reimbursement reversed, unit never returned. '",
            "coalesce(order_lines.order_evidence, 'order ' || reversals.order_id)",
            "'. FBA customer returns report: no return for this order and SKU. '",
            "'Reimbursements report: '", 'order_line_returns.reimbursements_evidence',
        ]) }} as evidence
    from reversals
    inner join order_line_returns
        on
            reversals.seller_id = order_line_returns.seller_id
            and reversals.marketplace_id = order_line_returns.marketplace_id
            and reversals.order_id = order_line_returns.order_id
            and reversals.sku = order_line_returns.sku
    left join order_lines
        on
            reversals.seller_id = order_lines.seller_id
            and reversals.marketplace_id = order_lines.marketplace_id
            and reversals.order_id = order_lines.order_id
            and reversals.sku = order_lines.sku
    where coalesce(order_line_returns.return_count, 0) = 0
),

{# Refund-side claims: fct_refund_reconciliation's flags, one row per refund
   line (over-refund, fee) or per duplicate transaction. #}
refund_flag_claims as (
    select
        case
            when refund_lines_evidenced.is_over_refund then 'over_refund'
            else 'fee_overcharge'
        end as claim_type,
        refund_lines_evidenced.refund_line_id as claim_key,
        refund_lines_evidenced.seller_id,
        refund_lines_evidenced.marketplace_id,
        refund_lines_evidenced.order_id,
        refund_lines_evidenced.sku,
        refund_lines_evidenced.refund_id,
        refund_lines_evidenced.transaction_id,
        cast(null as {{ dbt.type_string() }}) as license_plate_number,
        cast(null as {{ dbt.type_string() }}) as reimbursement_id,
        cast(null as {{ dbt.type_string() }}) as original_reimbursement_id,
        refund_lines_evidenced.currency_code,
        case
            when refund_lines_evidenced.is_over_refund
                then
                    refund_lines_evidenced.buyer_refunded_amount
                    - order_lines.buyer_paid_amount
            else refund_lines_evidenced.refund_admin_fee_difference_amount
        end as amount,
        cast(null as decimal(20, 4)) as reimbursed_amount,
        false as is_reimbursed,
        refund_lines_evidenced.posted_at as anchor_at,
        {{ dbt.concat([
            "case when refund_lines_evidenced.is_over_refund"
            ~ " then 'Refund above what the buyer paid: refunded '"
            ~ " else 'Refund administration fee above the policy: charged ' end",
            "case when refund_lines_evidenced.is_over_refund then "
            ~ evidence_value('refund_lines_evidenced.buyer_refunded_amount')
            ~ " else " ~ evidence_value('refund_lines_evidenced.refund_admin_fee_amount') ~ " end",
            "case when refund_lines_evidenced.is_over_refund then ', buyer paid ' "
            ~ "else ', policy fee ' end",
            "case when refund_lines_evidenced.is_over_refund then "
            ~ evidence_value('order_lines.buyer_paid_amount')
            ~ " else " ~ evidence_value('refund_lines_evidenced.expected_refund_admin_fee_amount')
            ~ " end",
            "' '", 'refund_lines_evidenced.currency_code', "'. '",
            "coalesce(order_lines.order_evidence, 'order ' || refund_lines_evidenced.order_id)",
            "'. '", 'refund_lines_evidenced.refund_evidence',
        ]) }} as evidence
    from refund_lines_evidenced
    left join order_lines
        on
            refund_lines_evidenced.seller_id = order_lines.seller_id
            and refund_lines_evidenced.marketplace_id = order_lines.marketplace_id
            and refund_lines_evidenced.order_id = order_lines.order_id
            and refund_lines_evidenced.sku = order_lines.sku
    where
        refund_lines_evidenced.is_over_refund
        or (
            refund_lines_evidenced.is_fee_error
            and refund_lines_evidenced.refund_admin_fee_difference_amount > 0
        )
),

duplicate_refunds as (
    select
        'duplicate_refund' as claim_type,
        transaction_id as claim_key,
        seller_id,
        marketplace_id,
        order_id,
        min(sku) as sku,
        refund_id,
        transaction_id,
        cast(null as {{ dbt.type_string() }}) as license_plate_number,
        cast(null as {{ dbt.type_string() }}) as reimbursement_id,
        cast(null as {{ dbt.type_string() }}) as original_reimbursement_id,
        currency_code,
        -max(transaction_total_amount) as amount,
        cast(null as decimal(20, 4)) as reimbursed_amount,
        false as is_reimbursed,
        min(posted_at) as anchor_at,
        {{ dbt.concat([
            "'The same unit refunded twice: this posting repeats refund '",
            evidence_value('refund_id'), "'. '",
            dbt.listagg('refund_evidence', "'; '", 'order by item_index'),
        ]) }} as evidence
    from refund_lines_evidenced
    where is_duplicate_refund
    group by 1, 2, 3, 4, 5, 7, 8, 12
),

claims as (
    select * from refunds_without_return
    union all
    select * from returns_to_verify
    union all
    select * from reimbursements_short
    union all
    select * from reimbursements_reversed
    union all
    select * from refund_flag_claims
    union all
    select * from duplicate_refunds
)

select * from claims
