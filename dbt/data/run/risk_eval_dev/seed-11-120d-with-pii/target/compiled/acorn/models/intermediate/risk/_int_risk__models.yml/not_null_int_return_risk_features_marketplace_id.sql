
    
    



select marketplace_id
from "acorn"."intermediate"."int_return_risk_features"
where marketplace_id is null


