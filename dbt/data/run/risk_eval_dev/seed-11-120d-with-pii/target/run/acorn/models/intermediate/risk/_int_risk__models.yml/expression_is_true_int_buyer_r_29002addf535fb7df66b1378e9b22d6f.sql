
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from "acorn"."intermediate"."int_buyer_risk_features"
    where not coalesce((returns_30d <= returns_90d and returns_90d <= returns_365d and returns_365d <= return_count), false)

  
  
      
    ) dbt_internal_test