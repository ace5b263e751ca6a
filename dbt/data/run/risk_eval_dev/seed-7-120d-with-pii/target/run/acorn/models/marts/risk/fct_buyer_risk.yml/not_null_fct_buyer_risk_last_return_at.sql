
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select last_return_at
from "acorn"."marts"."fct_buyer_risk"
where last_return_at is null



  
  
      
    ) dbt_internal_test