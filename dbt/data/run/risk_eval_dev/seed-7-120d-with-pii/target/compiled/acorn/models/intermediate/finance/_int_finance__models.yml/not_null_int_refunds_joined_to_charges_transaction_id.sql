
    
    



select transaction_id
from "acorn"."intermediate"."int_refunds_joined_to_charges"
where transaction_id is null


