
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from "acorn"."marts"."fct_refund_reconciliation"
    where not coalesce((unclassified_amount = 0), false)

  
  
      
    ) dbt_internal_test