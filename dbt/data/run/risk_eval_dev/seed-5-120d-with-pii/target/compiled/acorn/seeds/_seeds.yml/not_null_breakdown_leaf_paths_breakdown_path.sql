
    
    



select breakdown_path
from "acorn"."seeds"."breakdown_leaf_paths"
where breakdown_path is null


