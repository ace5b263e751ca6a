
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from "acorn"."marts"."fct_refund_reconciliation"
    where not coalesce((reconciliation_status not in ('matched', 'amount_mismatch') or settled_amount is not null), false)

  
  
      
    ) dbt_internal_test