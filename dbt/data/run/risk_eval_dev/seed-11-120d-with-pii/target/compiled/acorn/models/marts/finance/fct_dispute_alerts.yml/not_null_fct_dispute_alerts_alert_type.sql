
    
    



select alert_type
from "acorn"."marts"."fct_dispute_alerts"
where alert_type is null


