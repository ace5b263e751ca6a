
    
    

select
    transaction_type as unique_field,
    count(*) as n_records

from "acorn"."seeds"."transaction_types"
where transaction_type is not null
group by transaction_type
having count(*) > 1


