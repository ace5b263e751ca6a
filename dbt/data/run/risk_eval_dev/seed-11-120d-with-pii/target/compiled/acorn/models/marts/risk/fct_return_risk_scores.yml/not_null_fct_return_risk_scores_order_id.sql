
    
    



select order_id
from "acorn"."marts"."fct_return_risk_scores"
where order_id is null


