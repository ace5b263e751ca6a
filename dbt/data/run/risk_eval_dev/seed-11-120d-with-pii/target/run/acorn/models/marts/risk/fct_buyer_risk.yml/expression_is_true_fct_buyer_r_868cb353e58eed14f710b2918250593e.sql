
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from "acorn"."marts"."fct_buyer_risk"
    where not coalesce(((risk_score is null) = (risk_band is null) and returns_90d <= returns_365d and returns_365d <= return_count), false)

  
  
      
    ) dbt_internal_test