
    
    



select order_id
from "acorn"."intermediate"."int_buyer_risk_scores"
where order_id is null


