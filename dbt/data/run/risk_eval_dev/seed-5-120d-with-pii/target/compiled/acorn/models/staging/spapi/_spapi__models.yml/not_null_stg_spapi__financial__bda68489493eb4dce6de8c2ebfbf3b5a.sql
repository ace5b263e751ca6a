
    
    



select financial_event_group_id
from "acorn"."staging"."stg_spapi__financial_event_groups"
where financial_event_group_id is null


