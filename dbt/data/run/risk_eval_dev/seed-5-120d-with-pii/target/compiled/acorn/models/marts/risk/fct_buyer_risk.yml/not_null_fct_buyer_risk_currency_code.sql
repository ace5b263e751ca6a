
    
    



select currency_code
from "acorn"."marts"."fct_buyer_risk"
where currency_code is null


