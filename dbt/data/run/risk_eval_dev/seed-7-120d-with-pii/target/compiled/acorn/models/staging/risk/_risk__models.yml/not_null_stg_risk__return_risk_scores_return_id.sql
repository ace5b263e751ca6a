
    
    



select return_id
from "acorn"."staging"."stg_risk__return_risk_scores"
where return_id is null


