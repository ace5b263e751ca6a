
    
    



select buyer_refunds_without_return_365d
from "acorn"."intermediate"."int_return_risk_features"
where buyer_refunds_without_return_365d is null


