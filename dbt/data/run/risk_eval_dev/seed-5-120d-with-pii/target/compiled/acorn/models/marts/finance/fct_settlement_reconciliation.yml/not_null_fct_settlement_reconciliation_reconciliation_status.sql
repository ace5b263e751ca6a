
    
    



select reconciliation_status
from "acorn"."marts"."fct_settlement_reconciliation"
where reconciliation_status is null


