
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_tax
from "acorn"."seeds"."breakdown_leaf_paths"
where is_tax is null



  
  
      
    ) dbt_internal_test