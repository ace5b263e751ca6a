
    
    



select buyer_returnless_refunds_365d
from "acorn"."intermediate"."int_return_risk_features"
where buyer_returnless_refunds_365d is null


