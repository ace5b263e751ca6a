
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select buyer_return_rate_vs_sku
from "acorn"."intermediate"."int_return_risk_features"
where buyer_return_rate_vs_sku is null



  
  
      
    ) dbt_internal_test