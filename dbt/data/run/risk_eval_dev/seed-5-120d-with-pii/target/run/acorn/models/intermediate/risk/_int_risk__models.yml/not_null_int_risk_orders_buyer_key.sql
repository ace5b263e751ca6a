
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select buyer_key
from "acorn"."intermediate"."int_risk_orders"
where buyer_key is null



  
  
      
    ) dbt_internal_test