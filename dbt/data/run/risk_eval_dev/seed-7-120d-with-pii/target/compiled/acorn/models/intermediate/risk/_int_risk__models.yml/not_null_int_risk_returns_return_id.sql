
    
    



select return_id
from "acorn"."intermediate"."int_risk_returns"
where return_id is null


