
    
    



select marketplace_id
from "acorn"."marts"."fct_refund_tax_documents"
where marketplace_id is null


