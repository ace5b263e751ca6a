
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select buyer_risk_score
from "acorn"."intermediate"."int_buyer_risk_scores"
where buyer_risk_score is null



  
  
      
    ) dbt_internal_test