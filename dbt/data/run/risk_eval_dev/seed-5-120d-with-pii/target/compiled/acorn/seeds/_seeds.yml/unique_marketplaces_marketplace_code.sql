
    
    

select
    marketplace_code as unique_field,
    count(*) as n_records

from "acorn"."seeds"."marketplaces"
where marketplace_code is not null
group by marketplace_code
having count(*) > 1


