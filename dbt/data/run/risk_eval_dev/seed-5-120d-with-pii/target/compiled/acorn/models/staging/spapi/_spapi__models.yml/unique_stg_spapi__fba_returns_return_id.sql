
    
    

select
    return_id as unique_field,
    count(*) as n_records

from (select * from "acorn"."staging"."stg_spapi__fba_returns" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__fba_returns")) dbt_subquery
where return_id is not null
group by return_id
having count(*) > 1


