
    
    



select currency_code
from "acorn"."marts"."fct_money_owed"
where currency_code is null


