
    
    



select buyer_returns_30d
from "acorn"."intermediate"."int_return_risk_features"
where buyer_returns_30d is null


