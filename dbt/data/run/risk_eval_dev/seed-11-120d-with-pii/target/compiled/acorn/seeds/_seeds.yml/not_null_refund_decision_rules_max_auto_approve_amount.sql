
    
    



select max_auto_approve_amount
from "acorn"."seeds"."refund_decision_rules"
where max_auto_approve_amount is null


