
    
    



select total_amount
from "acorn"."staging"."stg_spapi__settlements"
where total_amount is null


