
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from (select * from "acorn"."marts"."fct_transaction_settlement_reconciliation" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."marts"."fct_transaction_settlement_reconciliation")) dbt_subquery
    where not coalesce(((reconciliation_status = 'matched') = (settled_amount is not null and settled_amount = net_amount)), false)

  
  
      
    ) dbt_internal_test