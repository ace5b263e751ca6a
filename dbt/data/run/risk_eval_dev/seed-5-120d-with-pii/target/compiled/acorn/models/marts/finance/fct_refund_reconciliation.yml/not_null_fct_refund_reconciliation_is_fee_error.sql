
    
    



select is_fee_error
from "acorn"."marts"."fct_refund_reconciliation"
where is_fee_error is null


