
    
    

select
    return_id as unique_field,
    count(*) as n_records

from "acorn"."intermediate"."int_mfn_returns_joined_to_refund_deadlines"
where return_id is not null
group by return_id
having count(*) > 1


