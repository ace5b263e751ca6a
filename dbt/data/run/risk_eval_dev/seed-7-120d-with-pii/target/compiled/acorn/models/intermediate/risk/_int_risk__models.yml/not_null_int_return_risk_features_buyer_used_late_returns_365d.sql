
    
    



select buyer_used_late_returns_365d
from "acorn"."intermediate"."int_return_risk_features"
where buyer_used_late_returns_365d is null


