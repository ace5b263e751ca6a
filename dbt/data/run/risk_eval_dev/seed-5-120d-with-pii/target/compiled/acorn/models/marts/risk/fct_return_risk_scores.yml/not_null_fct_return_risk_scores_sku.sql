
    
    



select sku
from "acorn"."marts"."fct_return_risk_scores"
where sku is null


