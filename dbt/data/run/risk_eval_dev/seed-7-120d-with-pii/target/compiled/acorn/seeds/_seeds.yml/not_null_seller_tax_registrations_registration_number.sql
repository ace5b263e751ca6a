
    
    



select registration_number
from "acorn"."seeds"."seller_tax_registrations"
where registration_number is null


