
    
    



select posted_at
from "acorn"."marts"."fct_refund_reconciliation"
where posted_at is null


