
    
    



select rule_value
from "acorn"."seeds"."policy_rules"
where rule_value is null


