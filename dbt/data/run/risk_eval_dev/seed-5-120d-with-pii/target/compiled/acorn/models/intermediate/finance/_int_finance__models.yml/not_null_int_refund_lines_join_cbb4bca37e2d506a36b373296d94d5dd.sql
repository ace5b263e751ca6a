
    
    



select refund_line_id
from "acorn"."intermediate"."int_refund_lines_joined_to_settlement_lines"
where refund_line_id is null


