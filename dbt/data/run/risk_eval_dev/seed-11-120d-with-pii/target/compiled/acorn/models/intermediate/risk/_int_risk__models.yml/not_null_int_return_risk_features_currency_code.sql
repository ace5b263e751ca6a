
    
    



select currency_code
from "acorn"."intermediate"."int_return_risk_features"
where currency_code is null


