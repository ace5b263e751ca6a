
    
    



select return_id
from "acorn"."intermediate"."int_mfn_returns_joined_to_refund_deadlines"
where return_id is null


