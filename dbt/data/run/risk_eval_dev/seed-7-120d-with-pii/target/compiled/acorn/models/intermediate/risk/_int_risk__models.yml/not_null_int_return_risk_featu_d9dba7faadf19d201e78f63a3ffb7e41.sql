
    
    



select is_reason_disposition_contradiction
from "acorn"."intermediate"."int_return_risk_features"
where is_reason_disposition_contradiction is null


