
    
    



select is_fx_rate_stale
from "acorn"."marts"."rpt_marketplace_refunds"
where is_fx_rate_stale is null


