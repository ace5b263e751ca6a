
    
    

select
    settlement_transaction_type as unique_field,
    count(*) as n_records

from "acorn"."seeds"."transaction_types"
where settlement_transaction_type is not null
group by settlement_transaction_type
having count(*) > 1


