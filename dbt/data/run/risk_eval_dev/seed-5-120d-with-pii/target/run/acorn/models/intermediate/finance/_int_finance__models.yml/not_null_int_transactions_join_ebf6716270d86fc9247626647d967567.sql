
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select transaction_id
from (select * from "acorn"."intermediate"."int_transactions_joined_to_settlement_lines" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."intermediate"."int_transactions_joined_to_settlement_lines")) dbt_subquery
where transaction_id is null



  
  
      
    ) dbt_internal_test