
    
    



select buyer_contradictions_365d
from "acorn"."intermediate"."int_return_risk_features"
where buyer_contradictions_365d is null


