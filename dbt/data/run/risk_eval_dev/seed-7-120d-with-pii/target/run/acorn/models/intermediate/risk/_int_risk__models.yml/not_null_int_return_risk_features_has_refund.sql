
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select has_refund
from "acorn"."intermediate"."int_return_risk_features"
where has_refund is null



  
  
      
    ) dbt_internal_test