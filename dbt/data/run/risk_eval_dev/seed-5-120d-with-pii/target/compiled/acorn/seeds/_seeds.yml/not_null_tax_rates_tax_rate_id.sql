
    
    



select tax_rate_id
from "acorn"."seeds"."tax_rates"
where tax_rate_id is null


