
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select event_at
from "acorn"."intermediate"."int_risk_returns"
where event_at is null



  
  
      
    ) dbt_internal_test