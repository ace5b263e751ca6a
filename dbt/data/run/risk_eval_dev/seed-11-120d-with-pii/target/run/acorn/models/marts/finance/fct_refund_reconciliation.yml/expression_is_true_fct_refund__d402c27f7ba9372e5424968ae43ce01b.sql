
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from "acorn"."marts"."fct_refund_reconciliation"
    where not coalesce((net_amount = promotion_reversed_amount + tax_withheld_amount + commission_credited_amount - refund_admin_fee_amount - refunded_principal_amount - refunded_tax_amount - refunded_shipping_amount - refunded_shipping_tax_amount + other_amount + unclassified_amount), false)

  
  
      
    ) dbt_internal_test