
    
    



select buyer_risk_id
from "acorn"."staging"."stg_risk__buyer_risk_scores"
where buyer_risk_id is null


