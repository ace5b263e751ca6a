
    
    



select settlement_id
from "acorn"."staging"."stg_spapi__settlements"
where settlement_id is null


