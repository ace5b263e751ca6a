
    
    



select seller_id
from "acorn"."marts"."fct_return_risk_scores"
where seller_id is null


