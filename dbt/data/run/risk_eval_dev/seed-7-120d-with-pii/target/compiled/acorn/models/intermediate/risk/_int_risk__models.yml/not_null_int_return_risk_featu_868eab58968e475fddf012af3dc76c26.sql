
    
    



select area_return_rate_vs_marketplace
from "acorn"."intermediate"."int_return_risk_features"
where area_return_rate_vs_marketplace is null


