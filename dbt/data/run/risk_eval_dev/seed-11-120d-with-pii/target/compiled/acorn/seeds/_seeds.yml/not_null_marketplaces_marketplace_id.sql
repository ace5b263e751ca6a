
    
    



select marketplace_id
from "acorn"."seeds"."marketplaces"
where marketplace_id is null


