
    
    



select missing_report_line_amount
from "acorn"."marts"."rpt_marketplace_refunds"
where missing_report_line_amount is null


