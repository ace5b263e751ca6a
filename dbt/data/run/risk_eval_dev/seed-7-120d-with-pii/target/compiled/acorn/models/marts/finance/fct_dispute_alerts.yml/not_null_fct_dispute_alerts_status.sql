
    
    



select status
from "acorn"."marts"."fct_dispute_alerts"
where status is null


