
    
    



select buyer_refund_value_share
from "acorn"."intermediate"."int_return_risk_features"
where buyer_refund_value_share is null


