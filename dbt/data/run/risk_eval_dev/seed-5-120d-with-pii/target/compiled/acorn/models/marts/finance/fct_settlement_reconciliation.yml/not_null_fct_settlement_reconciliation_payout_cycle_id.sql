
    
    



select payout_cycle_id
from "acorn"."marts"."fct_settlement_reconciliation"
where payout_cycle_id is null


