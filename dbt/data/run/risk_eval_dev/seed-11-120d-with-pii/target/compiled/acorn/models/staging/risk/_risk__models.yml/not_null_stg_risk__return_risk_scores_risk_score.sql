
    
    



select risk_score
from "acorn"."staging"."stg_risk__return_risk_scores"
where risk_score is null


