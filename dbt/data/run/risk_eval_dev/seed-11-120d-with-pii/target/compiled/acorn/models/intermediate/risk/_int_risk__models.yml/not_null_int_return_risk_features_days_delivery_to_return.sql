
    
    



select days_delivery_to_return
from "acorn"."intermediate"."int_return_risk_features"
where days_delivery_to_return is null


