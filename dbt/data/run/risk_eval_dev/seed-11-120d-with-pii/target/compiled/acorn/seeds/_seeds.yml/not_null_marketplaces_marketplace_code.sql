
    
    



select marketplace_code
from "acorn"."seeds"."marketplaces"
where marketplace_code is null


