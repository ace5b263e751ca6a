
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select return_count
from "acorn"."marts"."fct_buyer_risk"
where return_count is null



  
  
      
    ) dbt_internal_test