
    
    



select buyer_key
from "acorn"."staging"."stg_risk__buyer_risk_scores"
where buyer_key is null


