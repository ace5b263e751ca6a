
    
    



select seller_id
from "acorn"."marts"."fct_money_owed"
where seller_id is null


