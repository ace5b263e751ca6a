
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        reconciliation_status as value_field,
        count(*) as n_records

    from (select * from "acorn"."marts"."fct_transaction_settlement_reconciliation" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."marts"."fct_transaction_settlement_reconciliation")) dbt_subquery
    group by reconciliation_status

)

select *
from all_values
where value_field not in (
    'matched','amount_mismatch','missing_from_settlement','report_missing','deferred','pending_settlement'
)



  
  
      
    ) dbt_internal_test