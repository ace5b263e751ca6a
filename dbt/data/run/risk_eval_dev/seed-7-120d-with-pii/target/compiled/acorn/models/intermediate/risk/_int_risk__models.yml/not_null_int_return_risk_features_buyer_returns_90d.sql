
    
    



select buyer_returns_90d
from "acorn"."intermediate"."int_return_risk_features"
where buyer_returns_90d is null


