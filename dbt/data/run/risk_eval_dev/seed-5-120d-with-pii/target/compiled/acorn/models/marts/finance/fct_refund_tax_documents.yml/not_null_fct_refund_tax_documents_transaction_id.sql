
    
    



select transaction_id
from "acorn"."marts"."fct_refund_tax_documents"
where transaction_id is null


