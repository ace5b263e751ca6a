
    
    



select seller_id
from "acorn"."marts"."fct_payouts"
where seller_id is null


