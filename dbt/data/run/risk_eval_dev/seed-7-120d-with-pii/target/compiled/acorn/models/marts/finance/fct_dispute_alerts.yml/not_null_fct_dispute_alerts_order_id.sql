
    
    



select order_id
from "acorn"."marts"."fct_dispute_alerts"
where order_id is null


