
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    transaction_id as unique_field,
    count(*) as n_records

from (select * from "acorn"."marts"."fct_transaction_settlement_reconciliation" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."marts"."fct_transaction_settlement_reconciliation")) dbt_subquery
where transaction_id is not null
group by transaction_id
having count(*) > 1



  
  
      
    ) dbt_internal_test