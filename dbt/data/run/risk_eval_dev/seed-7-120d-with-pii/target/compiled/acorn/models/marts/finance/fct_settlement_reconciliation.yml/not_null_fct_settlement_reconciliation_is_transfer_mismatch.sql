
    
    



select is_transfer_mismatch
from "acorn"."marts"."fct_settlement_reconciliation"
where is_transfer_mismatch is null


