
    
    



select return_fault_rule_id
from "acorn"."seeds"."return_fault_rules"
where return_fault_rule_id is null


