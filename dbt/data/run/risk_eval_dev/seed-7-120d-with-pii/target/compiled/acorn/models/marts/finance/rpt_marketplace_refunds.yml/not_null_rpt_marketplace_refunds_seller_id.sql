
    
    



select seller_id
from "acorn"."marts"."rpt_marketplace_refunds"
where seller_id is null


