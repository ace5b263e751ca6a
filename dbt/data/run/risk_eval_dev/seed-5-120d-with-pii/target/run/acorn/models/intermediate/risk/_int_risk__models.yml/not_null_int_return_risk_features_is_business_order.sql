
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_business_order
from "acorn"."intermediate"."int_return_risk_features"
where is_business_order is null



  
  
      
    ) dbt_internal_test