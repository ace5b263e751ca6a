
    
    



select currency_code
from "acorn"."marts"."fct_settlement_reconciliation"
where currency_code is null


