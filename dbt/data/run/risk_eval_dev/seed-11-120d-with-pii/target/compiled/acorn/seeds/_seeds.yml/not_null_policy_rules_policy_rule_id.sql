
    
    



select policy_rule_id
from "acorn"."seeds"."policy_rules"
where policy_rule_id is null


