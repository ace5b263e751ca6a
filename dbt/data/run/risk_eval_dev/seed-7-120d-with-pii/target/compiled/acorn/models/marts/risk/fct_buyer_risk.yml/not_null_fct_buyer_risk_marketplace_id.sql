
    
    



select marketplace_id
from "acorn"."marts"."fct_buyer_risk"
where marketplace_id is null


