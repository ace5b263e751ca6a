
    
    



select unclassified_amount
from "acorn"."marts"."rpt_marketplace_refunds"
where unclassified_amount is null


