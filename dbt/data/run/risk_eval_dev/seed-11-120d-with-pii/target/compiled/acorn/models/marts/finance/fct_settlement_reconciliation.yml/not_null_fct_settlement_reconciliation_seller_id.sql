
    
    



select seller_id
from "acorn"."marts"."fct_settlement_reconciliation"
where seller_id is null


