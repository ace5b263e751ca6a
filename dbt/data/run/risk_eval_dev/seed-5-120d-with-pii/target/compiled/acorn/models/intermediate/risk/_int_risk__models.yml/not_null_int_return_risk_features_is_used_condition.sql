
    
    



select is_used_condition
from "acorn"."intermediate"."int_return_risk_features"
where is_used_condition is null


