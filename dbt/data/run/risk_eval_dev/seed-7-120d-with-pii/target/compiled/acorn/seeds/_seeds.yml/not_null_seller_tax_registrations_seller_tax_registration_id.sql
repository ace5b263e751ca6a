
    
    



select seller_tax_registration_id
from "acorn"."seeds"."seller_tax_registrations"
where seller_tax_registration_id is null


