
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        refund_kind as value_field,
        count(*) as n_records

    from "acorn"."seeds"."transaction_types"
    group by refund_kind

)

select *
from all_values
where value_field not in (
    'refund','a_to_z_claim','chargeback'
)



  
  
      
    ) dbt_internal_test