
    
    



select holiday_date
from "acorn"."seeds"."marketplace_public_holidays"
where holiday_date is null


