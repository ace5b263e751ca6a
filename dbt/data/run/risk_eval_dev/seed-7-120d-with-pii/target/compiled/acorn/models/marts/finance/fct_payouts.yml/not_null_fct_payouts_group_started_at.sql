
    
    



select group_started_at
from "acorn"."marts"."fct_payouts"
where group_started_at is null


