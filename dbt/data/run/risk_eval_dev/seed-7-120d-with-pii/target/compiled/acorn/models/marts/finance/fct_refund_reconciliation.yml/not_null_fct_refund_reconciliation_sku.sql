
    
    



select sku
from "acorn"."marts"."fct_refund_reconciliation"
where sku is null


