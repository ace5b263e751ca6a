
    
    



select is_closed
from "acorn"."marts"."fct_payouts"
where is_closed is null


