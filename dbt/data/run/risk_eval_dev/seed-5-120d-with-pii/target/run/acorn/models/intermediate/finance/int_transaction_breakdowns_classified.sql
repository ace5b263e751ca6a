
  
  create view "acorn"."intermediate"."int_transaction_breakdowns_classified__dbt_tmp" as (
    


with

transaction_breakdowns as (
    select * from "acorn"."staging"."stg_spapi__transaction_breakdowns"
),

breakdown_leaf_paths as (
    select * from "acorn"."seeds"."breakdown_leaf_paths"
),


breakdowns_classified as (
    select
        transaction_breakdowns.transaction_breakdown_id,
        transaction_breakdowns.transaction_id,
        transaction_breakdowns.seller_id,
        transaction_breakdowns.marketplace_id,
        transaction_breakdowns.order_id,
        transaction_breakdowns.refund_id,
        transaction_breakdowns.order_adjustment_item_id,
        transaction_breakdowns.transaction_type,
        transaction_breakdowns.sku,
        transaction_breakdowns.asin,
        transaction_breakdowns.breakdown_bucket,
        transaction_breakdowns.breakdown_type,
        transaction_breakdowns.breakdown_path,
        transaction_breakdowns.currency_code,
        transaction_breakdowns.item_index,
        transaction_breakdowns.item_quantity,
        transaction_breakdowns.amount,
        transaction_breakdowns.posted_local_date,
        transaction_breakdowns.posted_at,
        transaction_breakdowns._warehouse_loaded_at,
        coalesce(breakdown_leaf_paths.money_component, 'unclassified') as money_component,
        coalesce(breakdown_leaf_paths.is_buyer_charge, false) as is_buyer_charge,
        coalesce(breakdown_leaf_paths.is_tax, false) as is_tax,
        breakdown_leaf_paths.breakdown_path is null as is_unclassified
    from transaction_breakdowns
    left join breakdown_leaf_paths
        on transaction_breakdowns.breakdown_path = breakdown_leaf_paths.breakdown_path
)

select * from breakdowns_classified
  );
