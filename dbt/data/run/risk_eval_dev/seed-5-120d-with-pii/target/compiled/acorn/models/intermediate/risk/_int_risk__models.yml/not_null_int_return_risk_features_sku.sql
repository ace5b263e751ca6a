
    
    



select sku
from "acorn"."intermediate"."int_return_risk_features"
where sku is null


