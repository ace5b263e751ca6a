
    
    



select event_at
from "acorn"."marts"."fct_return_risk_scores"
where event_at is null


