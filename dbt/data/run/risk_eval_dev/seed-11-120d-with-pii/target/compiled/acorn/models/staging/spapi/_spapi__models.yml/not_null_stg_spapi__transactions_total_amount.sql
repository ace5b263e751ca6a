
    
    



select total_amount
from (select * from "acorn"."staging"."stg_spapi__transactions" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__transactions")) dbt_subquery
where total_amount is null


