
    
    



select breakdown_path
from (select * from "acorn"."staging"."stg_spapi__transaction_breakdowns" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__transaction_breakdowns")) dbt_subquery
where breakdown_path is null


