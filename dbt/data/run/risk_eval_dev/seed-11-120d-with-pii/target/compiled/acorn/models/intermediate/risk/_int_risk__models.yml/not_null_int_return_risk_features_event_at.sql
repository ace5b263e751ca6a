
    
    



select event_at
from "acorn"."intermediate"."int_return_risk_features"
where event_at is null


