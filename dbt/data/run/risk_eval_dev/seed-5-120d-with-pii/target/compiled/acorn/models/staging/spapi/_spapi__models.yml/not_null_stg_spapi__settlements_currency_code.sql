
    
    



select currency_code
from "acorn"."staging"."stg_spapi__settlements"
where currency_code is null


