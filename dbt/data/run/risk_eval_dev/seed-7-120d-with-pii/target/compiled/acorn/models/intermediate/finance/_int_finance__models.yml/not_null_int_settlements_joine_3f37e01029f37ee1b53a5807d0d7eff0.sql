
    
    



select settlement_id
from (select * from "acorn"."intermediate"."int_settlements_joined_to_financial_event_groups" where financial_event_group_id is null) dbt_subquery
where settlement_id is null


