
    
    



select refund_kind
from "acorn"."marts"."fct_refund_reconciliation"
where refund_kind is null


