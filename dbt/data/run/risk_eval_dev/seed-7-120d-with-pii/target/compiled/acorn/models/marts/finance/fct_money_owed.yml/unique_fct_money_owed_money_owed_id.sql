
    
    

select
    money_owed_id as unique_field,
    count(*) as n_records

from "acorn"."marts"."fct_money_owed"
where money_owed_id is not null
group by money_owed_id
having count(*) > 1


