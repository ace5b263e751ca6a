
    
    

select
    settlement_id as unique_field,
    count(*) as n_records

from "acorn"."intermediate"."int_settlements_joined_to_financial_event_groups"
where settlement_id is not null
group by settlement_id
having count(*) > 1


