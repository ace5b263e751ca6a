
    
    



select buyer_orders_365d
from "acorn"."intermediate"."int_return_risk_features"
where buyer_orders_365d is null


