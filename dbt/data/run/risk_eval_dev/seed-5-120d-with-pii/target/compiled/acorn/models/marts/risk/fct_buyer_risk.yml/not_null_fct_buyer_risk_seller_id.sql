
    
    



select seller_id
from "acorn"."marts"."fct_buyer_risk"
where seller_id is null


