
    
    



select buyer_risk_id
from "acorn"."marts"."fct_buyer_risk"
where buyer_risk_id is null


