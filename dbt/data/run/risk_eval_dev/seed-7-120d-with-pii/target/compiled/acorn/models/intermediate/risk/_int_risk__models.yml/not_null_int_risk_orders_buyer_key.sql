
    
    



select buyer_key
from "acorn"."intermediate"."int_risk_orders"
where buyer_key is null


