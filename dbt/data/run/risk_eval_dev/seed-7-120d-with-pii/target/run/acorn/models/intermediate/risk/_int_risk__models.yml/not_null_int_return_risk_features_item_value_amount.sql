
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select item_value_amount
from "acorn"."intermediate"."int_return_risk_features"
where item_value_amount is null



  
  
      
    ) dbt_internal_test