
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select settlement_id
from "acorn"."staging"."stg_spapi__settlements"
where settlement_id is null



  
  
      
    ) dbt_internal_test