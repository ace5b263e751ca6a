
    
    



select seller_id
from "acorn"."marts"."fct_refund_tax_documents"
where seller_id is null


