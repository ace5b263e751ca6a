
    
    



select is_group_closed
from "acorn"."marts"."fct_settlement_reconciliation"
where is_group_closed is null


