
    
    



select original_currency_code
from "acorn"."marts"."fct_payouts"
where original_currency_code is null


