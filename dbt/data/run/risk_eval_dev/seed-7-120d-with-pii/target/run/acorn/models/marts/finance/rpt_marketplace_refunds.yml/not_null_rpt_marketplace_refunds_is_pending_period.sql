
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_pending_period
from "acorn"."marts"."rpt_marketplace_refunds"
where is_pending_period is null



  
  
      
    ) dbt_internal_test