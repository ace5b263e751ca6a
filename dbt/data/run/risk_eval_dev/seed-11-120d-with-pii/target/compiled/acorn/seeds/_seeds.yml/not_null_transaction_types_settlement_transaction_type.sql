
    
    



select settlement_transaction_type
from "acorn"."seeds"."transaction_types"
where settlement_transaction_type is null


