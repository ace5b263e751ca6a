
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select risk_score
from "acorn"."staging"."stg_risk__buyer_risk_scores"
where risk_score is null



  
  
      
    ) dbt_internal_test