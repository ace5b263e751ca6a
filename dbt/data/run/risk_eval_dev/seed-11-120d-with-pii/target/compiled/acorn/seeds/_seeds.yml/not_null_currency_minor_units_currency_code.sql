
    
    



select currency_code
from "acorn"."seeds"."currency_minor_units"
where currency_code is null


