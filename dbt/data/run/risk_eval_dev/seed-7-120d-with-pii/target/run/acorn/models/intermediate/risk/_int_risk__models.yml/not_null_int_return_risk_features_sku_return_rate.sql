
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select sku_return_rate
from "acorn"."intermediate"."int_return_risk_features"
where sku_return_rate is null



  
  
      
    ) dbt_internal_test