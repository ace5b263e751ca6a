
    
    



select currency_code
from "acorn"."marts"."rpt_marketplace_refunds"
where currency_code is null


