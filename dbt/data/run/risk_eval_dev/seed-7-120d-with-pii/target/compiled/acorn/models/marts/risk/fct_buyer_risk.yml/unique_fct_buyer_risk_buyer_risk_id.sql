
    
    

select
    buyer_risk_id as unique_field,
    count(*) as n_records

from "acorn"."marts"."fct_buyer_risk"
where buyer_risk_id is not null
group by buyer_risk_id
having count(*) > 1


