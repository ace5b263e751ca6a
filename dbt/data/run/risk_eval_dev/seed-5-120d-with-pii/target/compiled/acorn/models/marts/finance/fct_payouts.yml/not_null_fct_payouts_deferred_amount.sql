
    
    



select deferred_amount
from "acorn"."marts"."fct_payouts"
where deferred_amount is null


