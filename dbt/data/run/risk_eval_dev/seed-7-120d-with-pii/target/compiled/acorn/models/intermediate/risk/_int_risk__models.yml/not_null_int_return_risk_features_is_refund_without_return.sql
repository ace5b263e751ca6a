
    
    



select is_refund_without_return
from "acorn"."intermediate"."int_return_risk_features"
where is_refund_without_return is null


