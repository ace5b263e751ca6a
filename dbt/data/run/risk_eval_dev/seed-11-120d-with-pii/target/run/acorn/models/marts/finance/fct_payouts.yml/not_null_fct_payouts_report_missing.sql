
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select report_missing
from "acorn"."marts"."fct_payouts"
where report_missing is null



  
  
      
    ) dbt_internal_test