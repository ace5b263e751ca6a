
    
    



select seller_id
from "acorn"."marts"."fct_refund_decisions"
where seller_id is null


