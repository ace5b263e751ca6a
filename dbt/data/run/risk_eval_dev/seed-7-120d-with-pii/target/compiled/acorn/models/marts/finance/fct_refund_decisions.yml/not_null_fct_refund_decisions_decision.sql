
    
    



select decision
from "acorn"."marts"."fct_refund_decisions"
where decision is null


