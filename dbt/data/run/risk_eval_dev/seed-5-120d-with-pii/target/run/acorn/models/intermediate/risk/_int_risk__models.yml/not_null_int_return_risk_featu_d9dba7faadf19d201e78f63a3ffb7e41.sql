
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_reason_disposition_contradiction
from "acorn"."intermediate"."int_return_risk_features"
where is_reason_disposition_contradiction is null



  
  
      
    ) dbt_internal_test