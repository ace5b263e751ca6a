
    
    

select
    return_id as unique_field,
    count(*) as n_records

from "acorn"."marts"."fct_refund_decisions"
where return_id is not null
group by return_id
having count(*) > 1


