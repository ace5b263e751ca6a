
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select has_physical_return
from "acorn"."intermediate"."int_return_risk_features"
where has_physical_return is null



  
  
      
    ) dbt_internal_test