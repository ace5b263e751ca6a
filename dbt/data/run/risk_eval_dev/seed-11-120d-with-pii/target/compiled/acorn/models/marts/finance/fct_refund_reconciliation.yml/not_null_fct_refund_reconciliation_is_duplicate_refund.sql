
    
    



select is_duplicate_refund
from "acorn"."marts"."fct_refund_reconciliation"
where is_duplicate_refund is null


