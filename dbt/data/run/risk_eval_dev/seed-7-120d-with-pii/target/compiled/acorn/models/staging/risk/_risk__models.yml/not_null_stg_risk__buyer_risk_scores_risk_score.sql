
    
    



select risk_score
from "acorn"."staging"."stg_risk__buyer_risk_scores"
where risk_score is null


