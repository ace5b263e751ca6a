
    
    



select marketplace_refund_period_id
from "acorn"."marts"."rpt_marketplace_refunds"
where marketplace_refund_period_id is null


