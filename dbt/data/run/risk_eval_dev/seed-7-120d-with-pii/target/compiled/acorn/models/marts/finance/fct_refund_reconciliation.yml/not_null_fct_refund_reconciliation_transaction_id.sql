
    
    



select transaction_id
from "acorn"."marts"."fct_refund_reconciliation"
where transaction_id is null


