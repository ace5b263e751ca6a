
    
    



select has_physical_return
from "acorn"."intermediate"."int_return_risk_features"
where has_physical_return is null


