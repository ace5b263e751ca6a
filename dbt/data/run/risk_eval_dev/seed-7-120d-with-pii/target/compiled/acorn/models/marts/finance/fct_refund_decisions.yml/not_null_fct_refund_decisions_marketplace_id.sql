
    
    



select marketplace_id
from "acorn"."marts"."fct_refund_decisions"
where marketplace_id is null


