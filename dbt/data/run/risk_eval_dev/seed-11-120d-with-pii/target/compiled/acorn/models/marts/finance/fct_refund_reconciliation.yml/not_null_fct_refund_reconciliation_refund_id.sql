
    
    



select refund_id
from "acorn"."marts"."fct_refund_reconciliation"
where refund_id is null


