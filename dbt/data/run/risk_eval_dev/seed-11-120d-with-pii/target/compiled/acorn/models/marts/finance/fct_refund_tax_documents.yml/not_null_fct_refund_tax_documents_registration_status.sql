
    
    



select registration_status
from "acorn"."marts"."fct_refund_tax_documents"
where registration_status is null


