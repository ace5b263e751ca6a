
    
    



select is_fund_transferred
from "acorn"."marts"."fct_payouts"
where is_fund_transferred is null


