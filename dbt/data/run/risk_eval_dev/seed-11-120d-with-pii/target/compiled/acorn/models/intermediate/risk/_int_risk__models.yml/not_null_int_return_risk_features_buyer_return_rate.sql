
    
    



select buyer_return_rate
from "acorn"."intermediate"."int_return_risk_features"
where buyer_return_rate is null


