
    
    



select reconciliation_status
from "acorn"."marts"."fct_payouts"
where reconciliation_status is null


