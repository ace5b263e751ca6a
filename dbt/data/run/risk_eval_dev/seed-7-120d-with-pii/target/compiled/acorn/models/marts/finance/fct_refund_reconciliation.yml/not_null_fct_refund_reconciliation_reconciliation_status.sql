
    
    



select reconciliation_status
from "acorn"."marts"."fct_refund_reconciliation"
where reconciliation_status is null


