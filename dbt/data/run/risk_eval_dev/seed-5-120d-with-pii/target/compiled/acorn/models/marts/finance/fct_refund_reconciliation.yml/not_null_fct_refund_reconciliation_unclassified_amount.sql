
    
    



select unclassified_amount
from "acorn"."marts"."fct_refund_reconciliation"
where unclassified_amount is null


