
    
    



select deferral_maturity_at
from (select * from "acorn"."staging"."stg_spapi__transactions" where transaction_status = 'DEFERRED' and _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__transactions")) dbt_subquery
where deferral_maturity_at is null


