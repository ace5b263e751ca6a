
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select buyer_key
from "acorn"."staging"."stg_risk__buyer_risk_scores"
where buyer_key is null



  
  
      
    ) dbt_internal_test