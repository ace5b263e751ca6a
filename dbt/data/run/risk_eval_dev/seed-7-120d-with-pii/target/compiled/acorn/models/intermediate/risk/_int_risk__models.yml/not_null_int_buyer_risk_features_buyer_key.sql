
    
    



select buyer_key
from "acorn"."intermediate"."int_buyer_risk_features"
where buyer_key is null


