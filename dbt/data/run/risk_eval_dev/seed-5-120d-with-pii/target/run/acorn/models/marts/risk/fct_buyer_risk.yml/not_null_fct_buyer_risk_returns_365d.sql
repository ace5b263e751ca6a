
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select returns_365d
from "acorn"."marts"."fct_buyer_risk"
where returns_365d is null



  
  
      
    ) dbt_internal_test