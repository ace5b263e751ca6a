
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select address_buyer_keys
from "acorn"."intermediate"."int_return_risk_features"
where address_buyer_keys is null



  
  
      
    ) dbt_internal_test