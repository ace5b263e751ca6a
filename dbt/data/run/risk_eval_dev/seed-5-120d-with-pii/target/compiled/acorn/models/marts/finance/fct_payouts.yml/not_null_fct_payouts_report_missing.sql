
    
    



select report_missing
from "acorn"."marts"."fct_payouts"
where report_missing is null


