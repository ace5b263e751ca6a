
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        shape as value_field,
        count(*) as n_records

    from "acorn"."seeds"."breakdown_leaf_paths"
    group by shape

)

select *
from all_values
where value_field not in (
    'simplified','realistic','both'
)



  
  
      
    ) dbt_internal_test