
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select time_zone
from "acorn"."seeds"."marketplaces"
where time_zone is null



  
  
      
    ) dbt_internal_test