
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select address_buyers_with_returns
from "acorn"."intermediate"."int_return_risk_features"
where address_buyers_with_returns is null



  
  
      
    ) dbt_internal_test