
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select sku
from "acorn"."marts"."fct_return_risk_scores"
where sku is null



  
  
      
    ) dbt_internal_test