
    
    



select fx_rate_id
from "acorn"."seeds"."fx_rates"
where fx_rate_id is null


