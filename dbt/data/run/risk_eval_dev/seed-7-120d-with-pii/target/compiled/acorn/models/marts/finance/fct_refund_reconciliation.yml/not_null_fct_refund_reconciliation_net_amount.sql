
    
    



select net_amount
from "acorn"."marts"."fct_refund_reconciliation"
where net_amount is null


