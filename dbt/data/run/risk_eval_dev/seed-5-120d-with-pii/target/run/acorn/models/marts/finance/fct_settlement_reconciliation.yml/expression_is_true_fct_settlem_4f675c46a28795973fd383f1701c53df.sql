
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from "acorn"."marts"."fct_settlement_reconciliation"
    where not coalesce(((settlement_id is null) = (reported_total_amount is null)), false)

  
  
      
    ) dbt_internal_test