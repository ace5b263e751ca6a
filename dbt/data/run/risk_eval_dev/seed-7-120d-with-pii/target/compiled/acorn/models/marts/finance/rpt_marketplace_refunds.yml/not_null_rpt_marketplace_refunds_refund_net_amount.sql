
    
    



select refund_net_amount
from "acorn"."marts"."rpt_marketplace_refunds"
where refund_net_amount is null


