
    
    



select returns_365d
from "acorn"."marts"."fct_buyer_risk"
where returns_365d is null


