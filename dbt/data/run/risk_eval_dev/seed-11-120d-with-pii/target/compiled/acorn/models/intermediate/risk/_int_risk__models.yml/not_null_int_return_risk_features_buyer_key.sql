
    
    



select buyer_key
from "acorn"."intermediate"."int_return_risk_features"
where buyer_key is null


