
    
    



select settlement_difference_amount
from "acorn"."marts"."rpt_marketplace_refunds"
where settlement_difference_amount is null


