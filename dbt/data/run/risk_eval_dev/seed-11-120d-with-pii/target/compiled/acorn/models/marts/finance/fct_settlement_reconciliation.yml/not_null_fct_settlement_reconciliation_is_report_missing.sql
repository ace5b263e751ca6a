
    
    



select is_report_missing
from "acorn"."marts"."fct_settlement_reconciliation"
where is_report_missing is null


