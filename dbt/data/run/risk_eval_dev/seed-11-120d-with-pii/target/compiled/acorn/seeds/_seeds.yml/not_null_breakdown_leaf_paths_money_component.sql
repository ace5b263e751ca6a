
    
    



select money_component
from "acorn"."seeds"."breakdown_leaf_paths"
where money_component is null


