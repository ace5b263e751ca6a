
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select refund_count
from "acorn"."marts"."rpt_marketplace_refunds"
where refund_count is null



  
  
      
    ) dbt_internal_test