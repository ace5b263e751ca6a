
    
    



select order_count
from "acorn"."marts"."fct_buyer_risk"
where order_count is null


