
    
    



select amount_currency_code
from "acorn"."seeds"."refund_decision_rules"
where amount_currency_code is null


