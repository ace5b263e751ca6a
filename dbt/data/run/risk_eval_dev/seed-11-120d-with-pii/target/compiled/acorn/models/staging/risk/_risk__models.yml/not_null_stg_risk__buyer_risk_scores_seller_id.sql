
    
    



select seller_id
from "acorn"."staging"."stg_risk__buyer_risk_scores"
where seller_id is null


