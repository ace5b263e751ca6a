
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_buyer_charge
from "acorn"."seeds"."breakdown_leaf_paths"
where is_buyer_charge is null



  
  
      
    ) dbt_internal_test