
    
    



select reporting_currency_code
from "acorn"."marts"."fct_payouts"
where reporting_currency_code is null


