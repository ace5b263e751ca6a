
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_fx_rate_stale
from "acorn"."marts"."fct_payouts"
where is_fx_rate_stale is null



  
  
      
    ) dbt_internal_test