
    
    



select return_id
from "acorn"."marts"."fct_dispute_alerts"
where return_id is null


