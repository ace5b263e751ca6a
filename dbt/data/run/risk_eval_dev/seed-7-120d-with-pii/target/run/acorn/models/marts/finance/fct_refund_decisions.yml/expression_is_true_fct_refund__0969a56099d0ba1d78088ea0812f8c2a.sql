
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from "acorn"."marts"."fct_refund_decisions"
    where not coalesce(((decision = 'auto_approve') = (decision_rule = 'under_auto_approve_threshold')), false)

  
  
      
    ) dbt_internal_test