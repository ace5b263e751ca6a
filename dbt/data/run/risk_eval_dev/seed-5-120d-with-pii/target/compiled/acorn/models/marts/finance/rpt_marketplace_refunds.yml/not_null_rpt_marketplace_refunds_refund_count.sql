
    
    



select refund_count
from "acorn"."marts"."rpt_marketplace_refunds"
where refund_count is null


