
    
    



select seller_id
from "acorn"."marts"."fct_dispute_alerts"
where seller_id is null


