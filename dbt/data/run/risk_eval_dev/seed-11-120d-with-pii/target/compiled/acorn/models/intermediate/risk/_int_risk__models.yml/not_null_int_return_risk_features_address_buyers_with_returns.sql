
    
    



select address_buyers_with_returns
from "acorn"."intermediate"."int_return_risk_features"
where address_buyers_with_returns is null


