
    
    



select item_value_amount
from "acorn"."intermediate"."int_return_risk_features"
where item_value_amount is null


