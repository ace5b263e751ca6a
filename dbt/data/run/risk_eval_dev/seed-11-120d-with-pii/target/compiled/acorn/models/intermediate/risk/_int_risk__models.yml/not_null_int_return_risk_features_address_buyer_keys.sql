
    
    



select address_buyer_keys
from "acorn"."intermediate"."int_return_risk_features"
where address_buyer_keys is null


