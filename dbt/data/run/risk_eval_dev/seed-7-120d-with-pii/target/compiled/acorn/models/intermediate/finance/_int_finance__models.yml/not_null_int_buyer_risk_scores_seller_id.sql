
    
    



select seller_id
from "acorn"."intermediate"."int_buyer_risk_scores"
where seller_id is null


