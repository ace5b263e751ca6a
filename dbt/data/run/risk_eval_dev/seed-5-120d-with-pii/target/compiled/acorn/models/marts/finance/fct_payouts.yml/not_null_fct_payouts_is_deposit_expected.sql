
    
    



select is_deposit_expected
from "acorn"."marts"."fct_payouts"
where is_deposit_expected is null


