
    
    



select time_zone
from "acorn"."seeds"."marketplaces"
where time_zone is null


