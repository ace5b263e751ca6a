
    
    



select decision_rule
from "acorn"."marts"."fct_refund_decisions"
where decision_rule is null


