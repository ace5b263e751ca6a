
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        reconciliation_status as value_field,
        count(*) as n_records

    from "acorn"."marts"."fct_refund_reconciliation"
    group by reconciliation_status

)

select *
from all_values
where value_field not in (
    'matched','amount_mismatch','missing_from_settlement','report_missing','pending_settlement'
)



  
  
      
    ) dbt_internal_test