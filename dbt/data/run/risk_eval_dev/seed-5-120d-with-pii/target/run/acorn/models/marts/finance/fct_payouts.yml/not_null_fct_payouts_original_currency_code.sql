
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select original_currency_code
from "acorn"."marts"."fct_payouts"
where original_currency_code is null



  
  
      
    ) dbt_internal_test