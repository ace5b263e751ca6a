
    
    



select order_id
from "acorn"."intermediate"."int_return_risk_features"
where order_id is null


