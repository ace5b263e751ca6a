
    
    



select days_before_window_end
from "acorn"."intermediate"."int_return_risk_features"
where days_before_window_end is null


