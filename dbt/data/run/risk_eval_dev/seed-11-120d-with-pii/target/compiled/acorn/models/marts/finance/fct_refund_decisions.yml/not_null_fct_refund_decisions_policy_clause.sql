
    
    



select policy_clause
from "acorn"."marts"."fct_refund_decisions"
where policy_clause is null


