
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from "acorn"."marts"."fct_return_risk_scores"
    where not coalesce(((risk_score is null) = (risk_band is null) and coalesce(risk_score between 0 and 1, true)), false)

  
  
      
    ) dbt_internal_test