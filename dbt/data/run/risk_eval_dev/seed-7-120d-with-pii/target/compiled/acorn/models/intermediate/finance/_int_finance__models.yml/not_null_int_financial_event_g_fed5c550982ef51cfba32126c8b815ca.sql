
    
    



select financial_event_group_id
from "acorn"."intermediate"."int_financial_event_groups_fx_applied"
where financial_event_group_id is null


