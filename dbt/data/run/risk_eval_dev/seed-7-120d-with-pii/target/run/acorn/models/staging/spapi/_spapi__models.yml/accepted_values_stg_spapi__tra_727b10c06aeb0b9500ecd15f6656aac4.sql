
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        transaction_status as value_field,
        count(*) as n_records

    from (select * from "acorn"."staging"."stg_spapi__transactions" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__transactions")) dbt_subquery
    group by transaction_status

)

select *
from all_values
where value_field not in (
    'RELEASED','DEFERRED','DEFERRED_RELEASED'
)



  
  
      
    ) dbt_internal_test