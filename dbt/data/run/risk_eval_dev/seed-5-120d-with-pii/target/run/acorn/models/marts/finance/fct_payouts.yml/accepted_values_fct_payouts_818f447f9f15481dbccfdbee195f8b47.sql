
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        reconciliation_status as value_field,
        count(*) as n_records

    from "acorn"."marts"."fct_payouts"
    group by reconciliation_status

)

select *
from all_values
where value_field not in (
    'open','awaiting_transfer','transfer_failed','report_missing','transfer_mismatch','balanced'
)



  
  
      
    ) dbt_internal_test