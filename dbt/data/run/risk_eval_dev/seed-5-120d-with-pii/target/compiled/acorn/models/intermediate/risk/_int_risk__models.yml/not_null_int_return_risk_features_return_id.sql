
    
    



select return_id
from "acorn"."intermediate"."int_return_risk_features"
where return_id is null


