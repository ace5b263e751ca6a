
    
    



select refund_line_id
from "acorn"."intermediate"."int_refunds_joined_to_charges"
where refund_line_id is null


