
    
    



select is_fx_rate_stale
from "acorn"."marts"."fct_payouts"
where is_fx_rate_stale is null


