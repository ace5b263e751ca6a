
    
    



select deferred_transaction_count
from "acorn"."marts"."fct_payouts"
where deferred_transaction_count is null


