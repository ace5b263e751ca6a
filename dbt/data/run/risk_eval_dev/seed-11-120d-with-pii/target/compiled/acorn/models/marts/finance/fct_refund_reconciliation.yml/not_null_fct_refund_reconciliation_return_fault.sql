
    
    



select return_fault
from "acorn"."marts"."fct_refund_reconciliation"
where return_fault is null


