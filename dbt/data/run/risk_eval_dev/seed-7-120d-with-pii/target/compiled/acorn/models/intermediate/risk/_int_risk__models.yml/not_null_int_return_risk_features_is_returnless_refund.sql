
    
    



select is_returnless_refund
from "acorn"."intermediate"."int_return_risk_features"
where is_returnless_refund is null


