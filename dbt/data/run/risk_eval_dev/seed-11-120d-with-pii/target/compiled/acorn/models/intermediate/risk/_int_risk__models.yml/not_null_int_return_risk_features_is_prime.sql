
    
    



select is_prime
from "acorn"."intermediate"."int_return_risk_features"
where is_prime is null


