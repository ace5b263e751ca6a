
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select group_started_at
from "acorn"."marts"."fct_payouts"
where group_started_at is null



  
  
      
    ) dbt_internal_test