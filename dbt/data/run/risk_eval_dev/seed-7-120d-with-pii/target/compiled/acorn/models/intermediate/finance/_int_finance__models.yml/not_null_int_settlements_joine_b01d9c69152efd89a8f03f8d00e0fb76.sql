
    
    



select payout_cycle_id
from "acorn"."intermediate"."int_settlements_joined_to_financial_event_groups"
where payout_cycle_id is null


