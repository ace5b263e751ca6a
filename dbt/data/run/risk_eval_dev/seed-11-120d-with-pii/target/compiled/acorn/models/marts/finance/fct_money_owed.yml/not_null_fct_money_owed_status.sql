
    
    



select status
from "acorn"."marts"."fct_money_owed"
where status is null


