
    
    



select buyer_key
from "acorn"."intermediate"."int_risk_returns"
where buyer_key is null


