
    
    



select claim_key
from "acorn"."intermediate"."int_money_owed_claims"
where claim_key is null


