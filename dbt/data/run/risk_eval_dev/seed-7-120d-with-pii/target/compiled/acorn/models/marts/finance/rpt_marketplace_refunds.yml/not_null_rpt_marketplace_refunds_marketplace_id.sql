
    
    



select marketplace_id
from "acorn"."marts"."rpt_marketplace_refunds"
where marketplace_id is null


