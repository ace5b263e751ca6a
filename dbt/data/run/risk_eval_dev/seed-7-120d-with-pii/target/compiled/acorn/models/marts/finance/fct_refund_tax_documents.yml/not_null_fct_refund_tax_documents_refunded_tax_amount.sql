
    
    



select refunded_tax_amount
from "acorn"."marts"."fct_refund_tax_documents"
where refunded_tax_amount is null


