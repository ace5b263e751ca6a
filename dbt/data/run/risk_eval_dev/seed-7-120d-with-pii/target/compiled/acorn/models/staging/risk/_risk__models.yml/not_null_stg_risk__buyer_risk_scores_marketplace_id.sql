
    
    



select marketplace_id
from "acorn"."staging"."stg_risk__buyer_risk_scores"
where marketplace_id is null


