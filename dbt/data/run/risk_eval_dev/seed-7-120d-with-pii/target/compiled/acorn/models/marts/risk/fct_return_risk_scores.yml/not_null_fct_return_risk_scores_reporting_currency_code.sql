
    
    



select reporting_currency_code
from "acorn"."marts"."fct_return_risk_scores"
where reporting_currency_code is null


