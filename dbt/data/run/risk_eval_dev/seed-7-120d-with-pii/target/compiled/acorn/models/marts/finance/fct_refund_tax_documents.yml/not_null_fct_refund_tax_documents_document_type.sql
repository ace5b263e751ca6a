
    
    



select document_type
from "acorn"."marts"."fct_refund_tax_documents"
where document_type is null


