
    
    



select valid_from
from "acorn"."seeds"."seller_tax_registrations"
where valid_from is null


