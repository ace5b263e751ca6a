
    
    



select claim_type
from "acorn"."seeds"."claim_types"
where claim_type is null


