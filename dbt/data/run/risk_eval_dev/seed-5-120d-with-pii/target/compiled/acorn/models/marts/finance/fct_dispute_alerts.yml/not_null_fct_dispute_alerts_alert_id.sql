
    
    



select alert_id
from "acorn"."marts"."fct_dispute_alerts"
where alert_id is null


