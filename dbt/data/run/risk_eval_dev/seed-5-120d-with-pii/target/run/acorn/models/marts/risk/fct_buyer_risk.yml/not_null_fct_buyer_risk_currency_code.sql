
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select currency_code
from "acorn"."marts"."fct_buyer_risk"
where currency_code is null



  
  
      
    ) dbt_internal_test