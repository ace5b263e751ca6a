
    

    create  table
      "acorn"."intermediate"."int_refunds_joined_to_charges__dbt_tmp"
  
    
    as (
      with


transaction_breakdowns as (
    select * from "acorn"."intermediate"."int_transaction_breakdowns_classified"
),

refund_item_fees as (
    select * from "acorn"."intermediate"."int_refund_items_joined_to_fee_policy"
),


refund_transactions as (
    select * from "acorn"."staging"."stg_spapi__transactions"
    where is_buyer_refund
),

currency_minor_units as (
    select * from "acorn"."seeds"."currency_minor_units"
),

buyer_refund_types as (
    select transaction_type from "acorn"."seeds"."transaction_types"
    where is_buyer_refund
),

refund_items as (
    select
        transaction_id,
        item_index,
        seller_id,
        marketplace_id,
        order_id,
        sku,
        currency_code,
        max(asin) as asin,
        max(item_quantity) as item_quantity,
        max(order_adjustment_item_id) as order_adjustment_item_id,
        sum(amount) as net_amount,
        sum(
            case
                when money_component in ('commission', 'commission_tax') then amount
                else 0
            end
        ) as commission_credited_amount,
        -sum(
            case
                when money_component in ('refund_admin_fee', 'refund_admin_fee_tax') then amount
                else 0
            end
        ) as refund_admin_fee_amount,
        -sum(case when money_component = 'principal' then amount else 0 end)
            as refunded_principal_amount,
        -sum(case when money_component = 'tax' then amount else 0 end)
            as refunded_tax_amount,
        -sum(case when money_component = 'shipping' then amount else 0 end)
            as refunded_shipping_amount,
        -sum(case when money_component = 'shipping_tax' then amount else 0 end)
            as refunded_shipping_tax_amount,
        sum(case when money_component = 'promotion' then amount else 0 end)
            as promotion_reversed_amount,
        sum(case when money_component = 'tax_withheld' then amount else 0 end)
            as tax_withheld_amount,
        
        sum(
            case
                when is_unclassified then 0
                when money_component in (
                    'principal', 'tax', 'shipping', 'shipping_tax', 'promotion',
                    'tax_withheld', 'commission', 'commission_tax',
                    'refund_admin_fee', 'refund_admin_fee_tax'
                ) then 0
                else amount
            end
        ) as other_amount,
        sum(case when is_unclassified then amount else 0 end)
            as unclassified_amount,
        -sum(case when is_buyer_charge then amount else 0 end) as buyer_refunded_amount,
        -sum(case when is_buyer_charge and not is_tax then amount else 0 end)
            as buyer_refunded_pretax_amount
    from transaction_breakdowns
    where transaction_type in (select buyer_refund_types.transaction_type from buyer_refund_types)
    group by 1, 2, 3, 4, 5, 6, 7
),


shipment_charges as (
    select
        seller_id,
        marketplace_id,
        order_id,
        sku,
        sum(case when money_component = 'principal' then amount else 0 end)
            as charged_principal_amount,
        sum(case when money_component = 'tax' then amount else 0 end)
            as charged_tax_amount,
        sum(case when is_buyer_charge then amount else 0 end) as buyer_paid_amount,
        sum(case when is_buyer_charge and not is_tax then amount else 0 end)
            as buyer_paid_pretax_amount
    from transaction_breakdowns
    where transaction_type = 'Shipment'
    group by 1, 2, 3, 4
),


reposted_refunds as (
    select
        transaction_id,
        row_number() over (
            partition by seller_id, marketplace_id, transaction_type, refund_id
            order by posted_at, transaction_id
        ) > 1 as is_reposted_refund
    from refund_transactions
),

refund_items_joined_to_charges as (
    select
        refund_items.*,
        refund_transactions.transaction_type,
        refund_transactions.posted_at,
        reposted_refunds.is_reposted_refund,
        shipment_charges.charged_principal_amount,
        shipment_charges.charged_tax_amount,
        shipment_charges.buyer_paid_amount,
        shipment_charges.buyer_paid_pretax_amount,
        
        refund_item_fees.expected_refund_admin_fee_amount,
        case currency_minor_units.minor_unit_exponent
        when 0 then cast(1 as decimal(20, 4))
        when 1 then cast(0.1 as decimal(20, 4))
        when 2 then cast(0.01 as decimal(20, 4))
        when 3 then cast(0.001 as decimal(20, 4))
        else cast(0.0001 as decimal(20, 4))
    end as minor_unit_amount,
        
        cast(case
            when shipment_charges.charged_principal_amount <> 0
                then case currency_minor_units.minor_unit_exponent
        when 0 then cast(round(shipment_charges.charged_tax_amount * refund_items.refunded_principal_amount / shipment_charges.charged_principal_amount, 0) as decimal(38, 4))
        when 1 then cast(round(shipment_charges.charged_tax_amount * refund_items.refunded_principal_amount / shipment_charges.charged_principal_amount, 1) as decimal(38, 4))
        when 2 then cast(round(shipment_charges.charged_tax_amount * refund_items.refunded_principal_amount / shipment_charges.charged_principal_amount, 2) as decimal(38, 4))
        when 3 then cast(round(shipment_charges.charged_tax_amount * refund_items.refunded_principal_amount / shipment_charges.charged_principal_amount, 3) as decimal(38, 4))
        else cast(round(shipment_charges.charged_tax_amount * refund_items.refunded_principal_amount / shipment_charges.charged_principal_amount, 4) as decimal(38, 4))
    end
        end as decimal(20, 4)) as expected_refunded_tax_amount
    from refund_items
    inner join refund_transactions
        on refund_items.transaction_id = refund_transactions.transaction_id
    inner join reposted_refunds
        on refund_items.transaction_id = reposted_refunds.transaction_id
    left join shipment_charges
        on
            refund_items.seller_id = shipment_charges.seller_id
            and refund_items.marketplace_id = shipment_charges.marketplace_id
            and refund_items.order_id = shipment_charges.order_id
            and refund_items.sku = shipment_charges.sku
    left join refund_item_fees
        on
            refund_items.transaction_id = refund_item_fees.transaction_id
            and refund_items.item_index = refund_item_fees.item_index
    left join currency_minor_units
        on refund_items.currency_code = currency_minor_units.currency_code
),


cumulative_refunds as (
    select
        *,
        sum(case when is_reposted_refund then 0 else buyer_refunded_amount end) over (
            partition by seller_id, marketplace_id, order_id, sku
            order by posted_at, transaction_id
            rows between unbounded preceding and current row
        ) as cumulative_buyer_refunded_amount,
        sum(case when is_reposted_refund then 0 else buyer_refunded_pretax_amount end) over (
            partition by seller_id, marketplace_id, order_id, sku
            order by posted_at, transaction_id
            rows between unbounded preceding and current row
        ) as cumulative_buyer_refunded_pretax_amount
    from refund_items_joined_to_charges
),


duplicate_flags as (
    select
        *,
        is_reposted_refund
        or coalesce(
            buyer_paid_pretax_amount > 0
            and buyer_refunded_pretax_amount > 0
            and cumulative_buyer_refunded_pretax_amount - buyer_refunded_pretax_amount
            >= buyer_paid_pretax_amount - minor_unit_amount,
            false
        ) as is_duplicate_refund
    from cumulative_refunds
),


item_flags as (
    select
        *,
        coalesce(
            not is_duplicate_refund
            and cumulative_buyer_refunded_pretax_amount
            > buyer_paid_pretax_amount + minor_unit_amount,
            false
        ) as is_item_over_refund,
        abs(refunded_tax_amount - expected_refunded_tax_amount) > minor_unit_amount
            as is_item_tax_mismatch
    from duplicate_flags
),

item_amounts as (
    select
        *,
        case
            when is_item_over_refund
                then least(
                    buyer_refunded_amount,
                    cumulative_buyer_refunded_amount - buyer_paid_amount
                )
            else 0
        end as over_refunded_amount
    from item_flags
),

refund_lines as (
    select
        transaction_id || '-' || cast(item_index as string) as refund_line_id,
        transaction_id,
        item_index,
        seller_id,
        marketplace_id,
        order_id,
        sku,
        asin,
        item_quantity,
        order_adjustment_item_id,
        transaction_type,
        currency_code,
        net_amount,
        refunded_principal_amount,
        refunded_tax_amount,
        expected_refunded_tax_amount,
        refunded_shipping_amount,
        refunded_shipping_tax_amount,
        promotion_reversed_amount,
        tax_withheld_amount,
        other_amount,
        unclassified_amount,
        buyer_refunded_amount,
        buyer_paid_amount,
        commission_credited_amount,
        refund_admin_fee_amount,
        expected_refund_admin_fee_amount,
        over_refunded_amount,
        is_item_over_refund as is_over_refund,
        coalesce(is_item_tax_mismatch, false) as is_tax_mismatch,
        is_duplicate_refund,
        posted_at,
        buyer_paid_amount is null as has_unmatched_charge
    from item_amounts
)

select * from refund_lines
    );
    
  