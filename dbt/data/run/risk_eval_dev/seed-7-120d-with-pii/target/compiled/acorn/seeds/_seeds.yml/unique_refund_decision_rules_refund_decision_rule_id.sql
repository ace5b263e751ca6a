
    
    

select
    refund_decision_rule_id as unique_field,
    count(*) as n_records

from "acorn"."seeds"."refund_decision_rules"
where refund_decision_rule_id is not null
group by refund_decision_rule_id
having count(*) > 1


