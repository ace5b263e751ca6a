
    
    



select is_empty_or_wrong_item
from "acorn"."intermediate"."int_return_risk_features"
where is_empty_or_wrong_item is null


