
    
    



select returns_90d
from "acorn"."marts"."fct_buyer_risk"
where returns_90d is null


