
    
    



select reporting_currency_code
from "acorn"."marts"."rpt_marketplace_refunds"
where reporting_currency_code is null


