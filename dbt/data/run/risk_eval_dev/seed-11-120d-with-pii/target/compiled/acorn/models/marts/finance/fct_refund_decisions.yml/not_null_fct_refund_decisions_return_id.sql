
    
    



select return_id
from "acorn"."marts"."fct_refund_decisions"
where return_id is null


