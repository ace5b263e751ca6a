
    
    



select marketplace_id
from "acorn"."marts"."fct_return_risk_scores"
where marketplace_id is null


