
    
    



select buyer_return_rate_vs_sku
from "acorn"."intermediate"."int_return_risk_features"
where buyer_return_rate_vs_sku is null


