
    
    



select return_fault
from "acorn"."intermediate"."int_refund_lines_joined_to_returns"
where return_fault is null


