
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_fund_transferred
from "acorn"."marts"."fct_payouts"
where is_fund_transferred is null



  
  
      
    ) dbt_internal_test