
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select money_component
from "acorn"."seeds"."breakdown_leaf_paths"
where money_component is null



  
  
      
    ) dbt_internal_test