
    
    



select is_tax_mismatch
from "acorn"."marts"."fct_refund_reconciliation"
where is_tax_mismatch is null


