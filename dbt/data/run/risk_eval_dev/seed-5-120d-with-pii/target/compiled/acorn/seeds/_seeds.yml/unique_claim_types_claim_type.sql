
    
    

select
    claim_type as unique_field,
    count(*) as n_records

from "acorn"."seeds"."claim_types"
where claim_type is not null
group by claim_type
having count(*) > 1


