
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select buyer_returns_365d
from "acorn"."intermediate"."int_return_risk_features"
where buyer_returns_365d is null



  
  
      
    ) dbt_internal_test