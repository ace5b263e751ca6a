
    
    



select marketplace_id
from "acorn"."marts"."fct_dispute_alerts"
where marketplace_id is null


