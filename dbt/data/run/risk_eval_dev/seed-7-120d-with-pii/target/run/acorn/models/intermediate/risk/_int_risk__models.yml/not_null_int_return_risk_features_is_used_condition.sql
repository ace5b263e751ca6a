
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_used_condition
from "acorn"."intermediate"."int_return_risk_features"
where is_used_condition is null



  
  
      
    ) dbt_internal_test