
    
    

select
    breakdown_path as unique_field,
    count(*) as n_records

from "acorn"."seeds"."breakdown_leaf_paths"
where breakdown_path is not null
group by breakdown_path
having count(*) > 1


