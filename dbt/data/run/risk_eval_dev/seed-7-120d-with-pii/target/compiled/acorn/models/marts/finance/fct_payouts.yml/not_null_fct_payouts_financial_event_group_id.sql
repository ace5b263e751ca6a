
    
    



select financial_event_group_id
from "acorn"."marts"."fct_payouts"
where financial_event_group_id is null


