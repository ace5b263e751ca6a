
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select days_before_window_end
from "acorn"."intermediate"."int_return_risk_features"
where days_before_window_end is null



  
  
      
    ) dbt_internal_test