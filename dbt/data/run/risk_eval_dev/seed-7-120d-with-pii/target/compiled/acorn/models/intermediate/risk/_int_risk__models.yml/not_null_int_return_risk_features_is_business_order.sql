
    
    



select is_business_order
from "acorn"."intermediate"."int_return_risk_features"
where is_business_order is null


