
    
    



select currency_code
from "acorn"."marts"."fct_return_risk_scores"
where currency_code is null


