
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select reporting_currency_code
from "acorn"."marts"."fct_return_risk_scores"
where reporting_currency_code is null



  
  
      
    ) dbt_internal_test