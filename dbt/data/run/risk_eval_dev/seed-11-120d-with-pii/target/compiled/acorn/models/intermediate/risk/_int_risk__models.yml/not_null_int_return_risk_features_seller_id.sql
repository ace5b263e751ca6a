
    
    



select seller_id
from "acorn"."intermediate"."int_return_risk_features"
where seller_id is null


