with

claimable_orders as (
    select distinct
        seller_id,
        marketplace_id,
        order_id
    from "acorn"."staging"."stg_spapi__transactions"
    where is_buyer_refund and order_id is not null

    union

    select distinct
        seller_id,
        marketplace_id,
        order_id
    from "acorn"."staging"."stg_spapi__fba_returns"
    where order_id is not null

    union

    select distinct
        seller_id,
        marketplace_id,
        order_id
    from "acorn"."staging"."stg_spapi__reimbursements"
    where order_id is not null
),

transaction_breakdowns as (
    select transaction_breakdowns.*
    from "acorn"."intermediate"."int_transaction_breakdowns_classified" as transaction_breakdowns
    inner join claimable_orders
        on
            transaction_breakdowns.seller_id = claimable_orders.seller_id
            and transaction_breakdowns.marketplace_id = claimable_orders.marketplace_id
            and transaction_breakdowns.order_id = claimable_orders.order_id
    where transaction_breakdowns.transaction_type = 'Shipment'
),

shipment_transactions as (
    select * from "acorn"."staging"."stg_spapi__transactions"
    where transaction_type = 'Shipment'
),

orders as (
    select * from "acorn"."staging"."stg_spapi__orders"
),

currency_minor_units as (
    select * from "acorn"."seeds"."currency_minor_units"
),


shipment_items as (
    select
        transaction_id,
        item_index,
        seller_id,
        marketplace_id,
        order_id,
        sku,
        currency_code,
        max(item_quantity) as item_quantity,
        sum(case when money_component = 'principal' then amount else 0 end)
            as principal_amount,
        sum(case when money_component = 'promotion' then amount else 0 end)
            as promotion_amount,
        sum(
            case
                when money_component in (
                    'commission', 'commission_tax', 'fulfillment_fee', 'fulfillment_fee_tax'
                ) then amount
                else 0
            end
        ) as fees_amount,
        sum(case when is_buyer_charge then amount else 0 end) as buyer_paid_amount
    from transaction_breakdowns
    where sku is not null
    group by 1, 2, 3, 4, 5, 6, 7
),

order_lines as (
    select
        shipment_items.seller_id,
        shipment_items.marketplace_id,
        shipment_items.order_id,
        shipment_items.sku,
        shipment_items.currency_code,
        min_by(shipment_items.transaction_id, shipment_transactions.posted_at)
            as shipment_transaction_id,
        min_by(shipment_transactions._request_id, shipment_transactions.posted_at)
            as shipment_request_id,
        min(shipment_transactions.posted_at) as shipped_posted_at,
        sum(shipment_items.item_quantity) as shipped_quantity,
        sum(shipment_items.principal_amount) as charged_principal_amount,
        sum(shipment_items.promotion_amount) as charged_promotion_amount,
        sum(shipment_items.fees_amount) as fees_amount,
        sum(shipment_items.buyer_paid_amount) as buyer_paid_amount
    from shipment_items
    inner join shipment_transactions
        on shipment_items.transaction_id = shipment_transactions.transaction_id
    group by 1, 2, 3, 4, 5
)

select
    order_lines.seller_id,
    order_lines.marketplace_id,
    order_lines.order_id,
    order_lines.sku,
    order_lines.currency_code,
    order_lines.shipment_transaction_id,
    order_lines.shipment_request_id,
    order_lines.shipped_posted_at,
    cast(order_lines.shipped_quantity as bigint) as shipped_quantity,
    order_lines.charged_principal_amount,
    order_lines.charged_promotion_amount,
    order_lines.fees_amount,
    order_lines.buyer_paid_amount,
    cast(case
        when order_lines.shipped_quantity > 0
            then
                cast(order_lines.charged_principal_amount as decimal(38, 12))
                / order_lines.shipped_quantity
    end as decimal(20, 4)) as unit_price_amount,
    cast(
        greatest(
            0,
            case
                when order_lines.shipped_quantity > 0
                    
                    then case currency_minor_units.minor_unit_exponent
        when 0 then cast(round(cast((order_lines.charged_principal_amount + order_lines.charged_promotion_amount + order_lines.fees_amount) / order_lines.shipped_quantity as decimal(38, 8)), 0) as decimal(38, 4))
        when 1 then cast(round(cast((order_lines.charged_principal_amount + order_lines.charged_promotion_amount + order_lines.fees_amount) / order_lines.shipped_quantity as decimal(38, 8)), 1) as decimal(38, 4))
        when 2 then cast(round(cast((order_lines.charged_principal_amount + order_lines.charged_promotion_amount + order_lines.fees_amount) / order_lines.shipped_quantity as decimal(38, 8)), 2) as decimal(38, 4))
        when 3 then cast(round(cast((order_lines.charged_principal_amount + order_lines.charged_promotion_amount + order_lines.fees_amount) / order_lines.shipped_quantity as decimal(38, 8)), 3) as decimal(38, 4))
        else cast(round(cast((order_lines.charged_principal_amount + order_lines.charged_promotion_amount + order_lines.fees_amount) / order_lines.shipped_quantity as decimal(38, 8)), 4) as decimal(38, 4))
    end
            end
        ) as decimal(20, 4)
    ) as unit_reimbursement_value_amount,
    currency_minor_units.minor_unit_exponent,
    orders.fulfillment_channel,
    'order ' || order_lines.order_id || ' SKU ' || order_lines.sku || ': shipment transaction ' || coalesce(cast(order_lines.shipment_transaction_id as TEXT), 'n/a') || ' posted ' || coalesce(cast(cast(order_lines.shipped_posted_at as date) as TEXT), 'n/a') || ', ' || coalesce(cast(order_lines.shipped_quantity as TEXT), 'n/a') || ' unit(s), principal ' || coalesce(cast(order_lines.charged_principal_amount as TEXT), 'n/a') || ' ' || order_lines.currency_code || ', SP-API request ' || coalesce(cast(order_lines.shipment_request_id as TEXT), 'n/a') as order_evidence
from order_lines
left join currency_minor_units
    on order_lines.currency_code = currency_minor_units.currency_code
left join orders
    on
        order_lines.seller_id = orders.seller_id
        and order_lines.order_id = orders.order_id