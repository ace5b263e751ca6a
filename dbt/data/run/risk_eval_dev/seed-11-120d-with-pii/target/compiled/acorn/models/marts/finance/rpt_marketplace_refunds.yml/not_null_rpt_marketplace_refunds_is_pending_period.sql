
    
    



select is_pending_period
from "acorn"."marts"."rpt_marketplace_refunds"
where is_pending_period is null


