
    
    

select
    buyer_risk_id as unique_field,
    count(*) as n_records

from "acorn"."intermediate"."int_buyer_risk_features"
where buyer_risk_id is not null
group by buyer_risk_id
having count(*) > 1


