
    
    



select fx_rate_id
from "acorn"."intermediate"."int_fx_rates"
where fx_rate_id is null


