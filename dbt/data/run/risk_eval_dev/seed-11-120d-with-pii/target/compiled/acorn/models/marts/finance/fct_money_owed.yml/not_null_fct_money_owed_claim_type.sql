
    
    



select claim_type
from "acorn"."marts"."fct_money_owed"
where claim_type is null


