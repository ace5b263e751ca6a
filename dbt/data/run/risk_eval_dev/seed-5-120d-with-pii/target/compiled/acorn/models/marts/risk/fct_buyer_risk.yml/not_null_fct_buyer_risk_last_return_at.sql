
    
    



select last_return_at
from "acorn"."marts"."fct_buyer_risk"
where last_return_at is null


