
    
    



select is_returnless_eligible
from "acorn"."intermediate"."int_return_risk_features"
where is_returnless_eligible is null


