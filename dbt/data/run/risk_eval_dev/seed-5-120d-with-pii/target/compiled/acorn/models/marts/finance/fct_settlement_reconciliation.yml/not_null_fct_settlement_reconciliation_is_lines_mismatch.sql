
    
    



select is_lines_mismatch
from "acorn"."marts"."fct_settlement_reconciliation"
where is_lines_mismatch is null


