
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_late_in_window
from "acorn"."intermediate"."int_return_risk_features"
where is_late_in_window is null



  
  
      
    ) dbt_internal_test