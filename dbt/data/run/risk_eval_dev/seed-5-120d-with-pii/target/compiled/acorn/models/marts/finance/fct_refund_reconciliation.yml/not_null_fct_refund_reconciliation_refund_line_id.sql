
    
    



select refund_line_id
from "acorn"."marts"."fct_refund_reconciliation"
where refund_line_id is null


