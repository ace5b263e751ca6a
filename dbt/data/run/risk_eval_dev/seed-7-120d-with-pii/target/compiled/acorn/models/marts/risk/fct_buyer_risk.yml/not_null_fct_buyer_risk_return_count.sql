
    
    



select return_count
from "acorn"."marts"."fct_buyer_risk"
where return_count is null


