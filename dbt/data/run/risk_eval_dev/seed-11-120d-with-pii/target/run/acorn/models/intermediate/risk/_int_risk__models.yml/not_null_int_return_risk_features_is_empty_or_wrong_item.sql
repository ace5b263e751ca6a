
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_empty_or_wrong_item
from "acorn"."intermediate"."int_return_risk_features"
where is_empty_or_wrong_item is null



  
  
      
    ) dbt_internal_test