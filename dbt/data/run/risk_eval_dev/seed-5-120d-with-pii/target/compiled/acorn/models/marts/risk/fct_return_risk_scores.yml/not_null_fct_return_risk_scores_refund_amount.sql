
    
    



select refund_amount
from "acorn"."marts"."fct_return_risk_scores"
where refund_amount is null


