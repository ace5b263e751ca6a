
    
    



select marketplace_id
from "acorn"."marts"."fct_payouts"
where marketplace_id is null


