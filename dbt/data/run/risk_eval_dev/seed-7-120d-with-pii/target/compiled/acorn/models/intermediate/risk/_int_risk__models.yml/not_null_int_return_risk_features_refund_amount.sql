
    
    



select refund_amount
from "acorn"."intermediate"."int_return_risk_features"
where refund_amount is null


