
    
    



select sku
from "acorn"."intermediate"."int_order_lines_valued_for_reimbursement"
where sku is null


