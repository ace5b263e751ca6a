
    
    



select posted_local_date
from (select * from "acorn"."staging"."stg_spapi__transactions" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__transactions")) dbt_subquery
where posted_local_date is null


