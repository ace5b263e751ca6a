
    
    



select refund_amount_365d
from "acorn"."marts"."fct_buyer_risk"
where refund_amount_365d is null


