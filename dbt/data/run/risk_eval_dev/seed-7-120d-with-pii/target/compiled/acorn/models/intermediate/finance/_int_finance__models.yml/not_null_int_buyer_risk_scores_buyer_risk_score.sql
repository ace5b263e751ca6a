
    
    



select buyer_risk_score
from "acorn"."intermediate"."int_buyer_risk_scores"
where buyer_risk_score is null


