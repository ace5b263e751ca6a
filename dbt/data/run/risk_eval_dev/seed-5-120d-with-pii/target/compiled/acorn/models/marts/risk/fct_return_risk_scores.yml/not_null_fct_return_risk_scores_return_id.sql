
    
    



select return_id
from "acorn"."marts"."fct_return_risk_scores"
where return_id is null


