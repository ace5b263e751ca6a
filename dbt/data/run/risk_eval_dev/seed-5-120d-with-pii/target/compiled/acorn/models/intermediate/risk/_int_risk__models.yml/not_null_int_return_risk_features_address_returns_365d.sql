
    
    



select address_returns_365d
from "acorn"."intermediate"."int_return_risk_features"
where address_returns_365d is null


