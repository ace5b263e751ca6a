
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from "acorn"."marts"."fct_settlement_reconciliation"
    where not coalesce((is_report_missing = (reconciliation_status = 'report_missing')), false)

  
  
      
    ) dbt_internal_test