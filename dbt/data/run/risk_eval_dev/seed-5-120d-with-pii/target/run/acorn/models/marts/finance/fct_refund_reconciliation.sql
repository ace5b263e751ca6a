
    
      
    

    create  table
      "acorn"."marts"."fct_refund_reconciliation__dbt_tmp"
  
  (
    refund_line_id varchar,
    transaction_id varchar,
    item_index bigint,
    seller_id varchar,
    marketplace_id varchar,
    marketplace_code varchar,
    order_id varchar,
    refund_id varchar,
    sku varchar,
    asin varchar,
    order_adjustment_item_id varchar,
    refund_kind varchar,
    item_quantity bigint,
    financial_event_group_id varchar,
    settlement_id varchar,
    expected_settlement_id varchar,
    currency_code varchar,
    refunded_principal_amount decimal(20,4),
    refunded_tax_amount decimal(20,4),
    expected_refunded_tax_amount decimal(20,4),
    refunded_shipping_amount decimal(20,4),
    refunded_shipping_tax_amount decimal(20,4),
    promotion_reversed_amount decimal(20,4),
    tax_withheld_amount decimal(20,4),
    other_amount decimal(20,4),
    unclassified_amount decimal(20,4),
    commission_credited_amount decimal(20,4),
    refund_admin_fee_amount decimal(20,4),
    expected_refund_admin_fee_amount decimal(20,4),
    refund_admin_fee_difference_amount decimal(20,4),
    over_refunded_amount decimal(20,4),
    net_amount decimal(20,4),
    settled_amount decimal(20,4),
    settlement_difference_amount decimal(20,4),
    settlement_line_count bigint,
    reconciliation_status varchar,
    is_paid_in_transfer boolean,
    is_over_refund boolean,
    is_duplicate_refund boolean,
    is_fee_error boolean,
    is_tax_mismatch boolean,
    return_channel varchar,
    return_count bigint,
    returned_quantity bigint,
    return_status varchar,
    return_disposition varchar,
    return_reason varchar,
    return_fault varchar,
    reimbursement_count bigint,
    reimbursed_amount decimal(20,4),
    posted_local_date date,
    posted_at timestamp with time zone,
    returned_at timestamp with time zone,
    settlement_ended_at timestamp with time zone
    
    )
 ;
    
    
    insert into "acorn"."marts"."fct_refund_reconciliation__dbt_tmp" 
  (
    
      
      
      refund_line_id ,
    
      
      
      transaction_id ,
    
      
      
      item_index ,
    
      
      
      seller_id ,
    
      
      
      marketplace_id ,
    
      
      
      marketplace_code ,
    
      
      
      order_id ,
    
      
      
      refund_id ,
    
      
      
      sku ,
    
      
      
      asin ,
    
      
      
      order_adjustment_item_id ,
    
      
      
      refund_kind ,
    
      
      
      item_quantity ,
    
      
      
      financial_event_group_id ,
    
      
      
      settlement_id ,
    
      
      
      expected_settlement_id ,
    
      
      
      currency_code ,
    
      
      
      refunded_principal_amount ,
    
      
      
      refunded_tax_amount ,
    
      
      
      expected_refunded_tax_amount ,
    
      
      
      refunded_shipping_amount ,
    
      
      
      refunded_shipping_tax_amount ,
    
      
      
      promotion_reversed_amount ,
    
      
      
      tax_withheld_amount ,
    
      
      
      other_amount ,
    
      
      
      unclassified_amount ,
    
      
      
      commission_credited_amount ,
    
      
      
      refund_admin_fee_amount ,
    
      
      
      expected_refund_admin_fee_amount ,
    
      
      
      refund_admin_fee_difference_amount ,
    
      
      
      over_refunded_amount ,
    
      
      
      net_amount ,
    
      
      
      settled_amount ,
    
      
      
      settlement_difference_amount ,
    
      
      
      settlement_line_count ,
    
      
      
      reconciliation_status ,
    
      
      
      is_paid_in_transfer ,
    
      
      
      is_over_refund ,
    
      
      
      is_duplicate_refund ,
    
      
      
      is_fee_error ,
    
      
      
      is_tax_mismatch ,
    
      
      
      return_channel ,
    
      
      
      return_count ,
    
      
      
      returned_quantity ,
    
      
      
      return_status ,
    
      
      
      return_disposition ,
    
      
      
      return_reason ,
    
      
      
      return_fault ,
    
      
      
      reimbursement_count ,
    
      
      
      reimbursed_amount ,
    
      
      
      posted_local_date ,
    
      
      
      posted_at ,
    
      
      
      returned_at ,
    
      
      
      settlement_ended_at 
    
  )
 (
      
    select refund_line_id, transaction_id, item_index, seller_id, marketplace_id, marketplace_code, order_id, refund_id, sku, asin, order_adjustment_item_id, refund_kind, item_quantity, financial_event_group_id, settlement_id, expected_settlement_id, currency_code, refunded_principal_amount, refunded_tax_amount, expected_refunded_tax_amount, refunded_shipping_amount, refunded_shipping_tax_amount, promotion_reversed_amount, tax_withheld_amount, other_amount, unclassified_amount, commission_credited_amount, refund_admin_fee_amount, expected_refund_admin_fee_amount, refund_admin_fee_difference_amount, over_refunded_amount, net_amount, settled_amount, settlement_difference_amount, settlement_line_count, reconciliation_status, is_paid_in_transfer, is_over_refund, is_duplicate_refund, is_fee_error, is_tax_mismatch, return_channel, return_count, returned_quantity, return_status, return_disposition, return_reason, return_fault, reimbursement_count, reimbursed_amount, posted_local_date, posted_at, returned_at, settlement_ended_at
    from (
        with

refund_transactions as (
    select * from "acorn"."staging"."stg_spapi__transactions"
    where is_buyer_refund
),

refund_lines as (
    select * from "acorn"."intermediate"."int_refunds_joined_to_charges"
),

refund_lines_joined_to_settlement_lines as (
    select * from "acorn"."intermediate"."int_refund_lines_joined_to_settlement_lines"
),

refund_lines_joined_to_returns as (
    select * from "acorn"."intermediate"."int_refund_lines_joined_to_returns"
),

settlements_joined_to_groups as (
    select * from "acorn"."intermediate"."int_settlements_joined_to_financial_event_groups"
),

settlements as (
    select * from "acorn"."staging"."stg_spapi__settlements"
),

marketplaces as (
    select * from "acorn"."seeds"."marketplaces"
),

transaction_types as (
    select * from "acorn"."seeds"."transaction_types"
),

refunds_joined as (
    select
        refund_lines.refund_line_id,
        refund_lines.transaction_id,
        refund_lines.item_index,
        refund_transactions.seller_id,
        refund_transactions.marketplace_id,
        marketplaces.marketplace_code,
        refund_transactions.order_id,
        refund_transactions.refund_id,
        refund_lines.sku,
        refund_lines.asin,
        refund_lines.order_adjustment_item_id,
        transaction_types.refund_kind,
        refund_lines.item_quantity,
        refund_transactions.financial_event_group_id,
        refund_lines_joined_to_settlement_lines.settlement_id,
        settlements_joined_to_groups.settlement_id as expected_settlement_id,
        coalesce(settlements_joined_to_groups.is_report_missing, false) as is_report_missing,
        refund_transactions.currency_code,
        refund_lines.refunded_principal_amount,
        refund_lines.refunded_tax_amount,
        refund_lines.expected_refunded_tax_amount,
        refund_lines.refunded_shipping_amount,
        refund_lines.refunded_shipping_tax_amount,
        refund_lines.promotion_reversed_amount,
        refund_lines.tax_withheld_amount,
        refund_lines.other_amount,
        refund_lines.unclassified_amount,
        refund_lines.commission_credited_amount,
        refund_lines.refund_admin_fee_amount,
        refund_lines.expected_refund_admin_fee_amount,
        refund_lines.over_refunded_amount,
        refund_lines.net_amount,
        refund_lines_joined_to_settlement_lines.sku_net_amount,
        refund_lines_joined_to_settlement_lines.sku_settled_amount,
        refund_lines_joined_to_settlement_lines.settled_amount,
        coalesce(settlements_joined_to_groups.is_transfer_tied_to_transactions, false)
            as is_paid_in_transfer,
        refund_lines_joined_to_settlement_lines.settlement_line_count,
        coalesce(refund_lines.is_over_refund, false) as is_over_refund,
        coalesce(refund_lines.is_duplicate_refund, false) as is_duplicate_refund,
        refund_lines.is_tax_mismatch,
        coalesce(
            refund_lines.refund_admin_fee_amount
            <> refund_lines.expected_refund_admin_fee_amount,
            false
        ) as is_fee_error,
        refund_lines_joined_to_returns.return_channel,
        refund_lines_joined_to_returns.return_count,
        refund_lines_joined_to_returns.returned_quantity,
        refund_lines_joined_to_returns.return_status,
        refund_lines_joined_to_returns.return_disposition,
        refund_lines_joined_to_returns.return_reason,
        refund_lines_joined_to_returns.return_fault,
        refund_lines_joined_to_returns.reimbursement_count,
        refund_lines_joined_to_returns.reimbursed_amount,
        refund_transactions.posted_local_date,
        refund_transactions.posted_at,
        refund_lines_joined_to_returns.returned_at,
        settlements.settlement_ended_at
    from refund_lines
    inner join refund_transactions
        on refund_lines.transaction_id = refund_transactions.transaction_id
    left join marketplaces
        on refund_transactions.marketplace_id = marketplaces.marketplace_id
    left join transaction_types
        on refund_transactions.transaction_type = transaction_types.transaction_type
    left join refund_lines_joined_to_settlement_lines
        on refund_lines.refund_line_id = refund_lines_joined_to_settlement_lines.refund_line_id
    left join refund_lines_joined_to_returns
        on refund_lines.refund_line_id = refund_lines_joined_to_returns.refund_line_id
    left join settlements_joined_to_groups
        on
            refund_transactions.financial_event_group_id
            = settlements_joined_to_groups.financial_event_group_id
    left join settlements
        on coalesce(
            refund_lines_joined_to_settlement_lines.settlement_id,
            settlements_joined_to_groups.settlement_id
        ) = settlements.settlement_id
),

reconciled as (
    select
        *,
        refund_admin_fee_amount - expected_refund_admin_fee_amount
            as refund_admin_fee_difference_amount,
        
        settled_amount - net_amount as settlement_difference_amount,
        
        case
        when settlement_id is not null and sku_settled_amount = sku_net_amount
            then 'matched'
        when settlement_id is not null then 'amount_mismatch'
        when expected_settlement_id is not null then 'missing_from_settlement'
        when false then 'deferred'
        when is_report_missing then 'report_missing'
        else 'pending_settlement'
    end as reconciliation_status
    from refunds_joined
)

select
    refund_line_id,
    transaction_id,
    item_index,
    seller_id,
    marketplace_id,
    marketplace_code,
    order_id,
    refund_id,
    sku,
    asin,
    order_adjustment_item_id,
    refund_kind,
    item_quantity,
    financial_event_group_id,
    settlement_id,
    expected_settlement_id,
    currency_code,
    cast(refunded_principal_amount as decimal(20, 4)) as refunded_principal_amount,
    cast(refunded_tax_amount as decimal(20, 4)) as refunded_tax_amount,
    cast(expected_refunded_tax_amount as decimal(20, 4)) as expected_refunded_tax_amount,
    cast(refunded_shipping_amount as decimal(20, 4)) as refunded_shipping_amount,
    cast(refunded_shipping_tax_amount as decimal(20, 4)) as refunded_shipping_tax_amount,
    cast(promotion_reversed_amount as decimal(20, 4)) as promotion_reversed_amount,
    cast(tax_withheld_amount as decimal(20, 4)) as tax_withheld_amount,
    cast(commission_credited_amount as decimal(20, 4)) as commission_credited_amount,
    cast(refund_admin_fee_amount as decimal(20, 4)) as refund_admin_fee_amount,
    cast(expected_refund_admin_fee_amount as decimal(20, 4)) as expected_refund_admin_fee_amount,
    cast(refund_admin_fee_difference_amount as decimal(20, 4))
        as refund_admin_fee_difference_amount,
    cast(over_refunded_amount as decimal(20, 4)) as over_refunded_amount,
    cast(other_amount as decimal(20, 4)) as other_amount,
    cast(unclassified_amount as decimal(20, 4)) as unclassified_amount,
    cast(net_amount as decimal(20, 4)) as net_amount,
    cast(settled_amount as decimal(20, 4)) as settled_amount,
    cast(settlement_difference_amount as decimal(20, 4)) as settlement_difference_amount,
    settlement_line_count,
    reconciliation_status,
    is_paid_in_transfer,
    is_over_refund,
    is_duplicate_refund,
    is_fee_error,
    is_tax_mismatch,
    return_channel,
    return_count,
    
    cast(returned_quantity as bigint) as returned_quantity,
    return_status,
    return_disposition,
    return_reason,
    return_fault,
    reimbursement_count,
    cast(reimbursed_amount as decimal(20, 4)) as reimbursed_amount,
    posted_local_date,
    posted_at,
    returned_at,
    settlement_ended_at
from reconciled
    ) as model_subq
    );
  