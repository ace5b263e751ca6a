
    
    



select order_id
from "acorn"."intermediate"."int_risk_orders"
where order_id is null


