
    
    



select buyer_risk_id
from "acorn"."intermediate"."int_buyer_risk_features"
where buyer_risk_id is null


