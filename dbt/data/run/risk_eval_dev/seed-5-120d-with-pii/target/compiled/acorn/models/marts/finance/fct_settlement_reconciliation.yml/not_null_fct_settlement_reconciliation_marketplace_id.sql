
    
    



select marketplace_id
from "acorn"."marts"."fct_settlement_reconciliation"
where marketplace_id is null


