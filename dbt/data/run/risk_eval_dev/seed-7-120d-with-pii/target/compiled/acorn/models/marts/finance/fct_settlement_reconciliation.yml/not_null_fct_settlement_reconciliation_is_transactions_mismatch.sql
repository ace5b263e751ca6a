
    
    



select is_transactions_mismatch
from "acorn"."marts"."fct_settlement_reconciliation"
where is_transactions_mismatch is null


