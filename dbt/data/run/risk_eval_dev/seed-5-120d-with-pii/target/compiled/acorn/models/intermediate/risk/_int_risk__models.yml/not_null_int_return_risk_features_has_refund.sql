
    
    



select has_refund
from "acorn"."intermediate"."int_return_risk_features"
where has_refund is null


