
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from "acorn"."marts"."fct_settlement_reconciliation"
    where not coalesce((settlement_id is not null or financial_event_group_id is not null), false)

  
  
      
    ) dbt_internal_test