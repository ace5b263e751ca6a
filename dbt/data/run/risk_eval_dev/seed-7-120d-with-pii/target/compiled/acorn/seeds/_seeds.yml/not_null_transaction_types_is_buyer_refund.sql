
    
    



select is_buyer_refund
from "acorn"."seeds"."transaction_types"
where is_buyer_refund is null


