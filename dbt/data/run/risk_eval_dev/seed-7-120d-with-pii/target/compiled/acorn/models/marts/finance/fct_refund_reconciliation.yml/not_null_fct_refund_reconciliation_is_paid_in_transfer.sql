
    
    



select is_paid_in_transfer
from "acorn"."marts"."fct_refund_reconciliation"
where is_paid_in_transfer is null


