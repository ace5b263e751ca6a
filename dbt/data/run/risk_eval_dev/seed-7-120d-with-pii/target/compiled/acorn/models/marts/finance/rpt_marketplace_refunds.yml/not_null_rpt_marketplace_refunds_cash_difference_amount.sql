
    
    



select cash_difference_amount
from "acorn"."marts"."rpt_marketplace_refunds"
where cash_difference_amount is null


