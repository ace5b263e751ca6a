
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        claim_type as value_field,
        count(*) as n_records

    from "acorn"."marts"."fct_money_owed"
    group by claim_type

)

select *
from all_values
where value_field not in (
    'refund_without_return','return_not_credited','reimbursement_missing','reimbursement_short','reimbursement_reversed','over_refund','duplicate_refund','fee_overcharge'
)



  
  
      
    ) dbt_internal_test