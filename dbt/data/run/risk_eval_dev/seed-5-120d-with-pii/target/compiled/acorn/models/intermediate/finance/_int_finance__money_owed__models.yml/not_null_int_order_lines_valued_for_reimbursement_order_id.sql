
    
    



select order_id
from "acorn"."intermediate"."int_order_lines_valued_for_reimbursement"
where order_id is null


