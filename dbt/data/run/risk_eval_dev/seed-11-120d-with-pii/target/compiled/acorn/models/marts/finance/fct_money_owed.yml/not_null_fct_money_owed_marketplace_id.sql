
    
    



select marketplace_id
from "acorn"."marts"."fct_money_owed"
where marketplace_id is null


