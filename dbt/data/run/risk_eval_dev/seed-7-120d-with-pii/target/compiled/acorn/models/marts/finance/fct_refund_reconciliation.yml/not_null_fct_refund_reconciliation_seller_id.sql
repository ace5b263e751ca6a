
    
    



select seller_id
from "acorn"."marts"."fct_refund_reconciliation"
where seller_id is null


