
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select days_delivery_to_return
from "acorn"."intermediate"."int_return_risk_features"
where days_delivery_to_return is null



  
  
      
    ) dbt_internal_test