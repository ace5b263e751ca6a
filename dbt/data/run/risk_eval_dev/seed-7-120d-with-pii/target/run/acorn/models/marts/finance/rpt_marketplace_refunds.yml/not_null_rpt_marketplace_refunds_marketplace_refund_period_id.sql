
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select marketplace_refund_period_id
from "acorn"."marts"."rpt_marketplace_refunds"
where marketplace_refund_period_id is null



  
  
      
    ) dbt_internal_test