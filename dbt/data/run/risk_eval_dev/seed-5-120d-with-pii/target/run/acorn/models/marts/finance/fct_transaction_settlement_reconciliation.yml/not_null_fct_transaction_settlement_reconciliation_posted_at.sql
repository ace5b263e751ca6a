
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select posted_at
from (select * from "acorn"."marts"."fct_transaction_settlement_reconciliation" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."marts"."fct_transaction_settlement_reconciliation")) dbt_subquery
where posted_at is null



  
  
      
    ) dbt_internal_test