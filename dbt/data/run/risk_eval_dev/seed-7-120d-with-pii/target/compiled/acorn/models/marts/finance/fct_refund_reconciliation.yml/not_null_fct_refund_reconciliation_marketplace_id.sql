
    
    



select marketplace_id
from "acorn"."marts"."fct_refund_reconciliation"
where marketplace_id is null


