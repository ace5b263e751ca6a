
    
    

select
    policy_rule_id as unique_field,
    count(*) as n_records

from "acorn"."seeds"."policy_rules"
where policy_rule_id is not null
group by policy_rule_id
having count(*) > 1


