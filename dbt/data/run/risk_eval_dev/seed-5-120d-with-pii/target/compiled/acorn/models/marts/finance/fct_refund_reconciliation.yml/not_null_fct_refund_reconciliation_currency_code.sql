
    
    



select currency_code
from "acorn"."marts"."fct_refund_reconciliation"
where currency_code is null


