
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select area_return_rate_vs_marketplace
from "acorn"."intermediate"."int_return_risk_features"
where area_return_rate_vs_marketplace is null



  
  
      
    ) dbt_internal_test