
    
    



select marketplace_code
from "acorn"."seeds"."refund_decision_rules"
where marketplace_code is null


