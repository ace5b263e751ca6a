
    
    



select buyer_key
from "acorn"."marts"."fct_buyer_risk"
where buyer_key is null


