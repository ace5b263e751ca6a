
    
    



select reporting_currency_code
from "acorn"."marts"."fct_buyer_risk"
where reporting_currency_code is null


