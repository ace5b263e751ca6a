
    
    



select reconciliation_status
from (select * from "acorn"."marts"."fct_transaction_settlement_reconciliation" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."marts"."fct_transaction_settlement_reconciliation")) dbt_subquery
where reconciliation_status is null


