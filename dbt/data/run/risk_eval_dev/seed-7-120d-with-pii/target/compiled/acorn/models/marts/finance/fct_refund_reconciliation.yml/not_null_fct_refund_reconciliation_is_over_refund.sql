
    
    



select is_over_refund
from "acorn"."marts"."fct_refund_reconciliation"
where is_over_refund is null


