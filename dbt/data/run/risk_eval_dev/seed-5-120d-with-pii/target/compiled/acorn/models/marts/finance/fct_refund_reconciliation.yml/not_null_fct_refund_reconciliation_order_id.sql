
    
    



select order_id
from "acorn"."marts"."fct_refund_reconciliation"
where order_id is null


