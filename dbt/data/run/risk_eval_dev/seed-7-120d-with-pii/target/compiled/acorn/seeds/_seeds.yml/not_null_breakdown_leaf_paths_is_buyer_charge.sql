
    
    



select is_buyer_charge
from "acorn"."seeds"."breakdown_leaf_paths"
where is_buyer_charge is null


