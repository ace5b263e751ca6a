
    
    



select buyer_key
from "acorn"."marts"."fct_return_risk_scores"
where buyer_key is null


