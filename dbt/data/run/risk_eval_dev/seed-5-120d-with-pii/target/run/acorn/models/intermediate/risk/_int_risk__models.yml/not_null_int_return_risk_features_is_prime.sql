
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_prime
from "acorn"."intermediate"."int_return_risk_features"
where is_prime is null



  
  
      
    ) dbt_internal_test