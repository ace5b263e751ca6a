
    
    



select money_owed_id
from "acorn"."marts"."fct_money_owed"
where money_owed_id is null


