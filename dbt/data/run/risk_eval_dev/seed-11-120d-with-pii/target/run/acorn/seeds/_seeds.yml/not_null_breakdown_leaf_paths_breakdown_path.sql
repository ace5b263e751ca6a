
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select breakdown_path
from "acorn"."seeds"."breakdown_leaf_paths"
where breakdown_path is null



  
  
      
    ) dbt_internal_test