
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from "acorn"."intermediate"."int_return_risk_features"
    where not coalesce((buyer_returns_30d <= buyer_returns_90d and buyer_returns_90d <= buyer_returns_365d and buyer_returns_30d >= 1), false)

  
  
      
    ) dbt_internal_test