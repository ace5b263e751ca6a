
    
    



select is_late_in_window
from "acorn"."intermediate"."int_return_risk_features"
where is_late_in_window is null


