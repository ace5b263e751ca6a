
    
    



select transaction_type
from "acorn"."seeds"."transaction_types"
where transaction_type is null


