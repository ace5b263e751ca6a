
    
    



select refund_decision_rule_id
from "acorn"."seeds"."refund_decision_rules"
where refund_decision_rule_id is null


