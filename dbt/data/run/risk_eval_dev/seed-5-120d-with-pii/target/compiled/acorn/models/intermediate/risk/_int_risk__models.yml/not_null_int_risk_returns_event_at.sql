
    
    



select event_at
from "acorn"."intermediate"."int_risk_returns"
where event_at is null


