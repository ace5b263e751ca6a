
    
    



select is_tax
from "acorn"."seeds"."breakdown_leaf_paths"
where is_tax is null


