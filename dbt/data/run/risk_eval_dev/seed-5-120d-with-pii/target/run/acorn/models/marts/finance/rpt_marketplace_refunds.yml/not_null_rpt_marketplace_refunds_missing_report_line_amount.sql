
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select missing_report_line_amount
from "acorn"."marts"."rpt_marketplace_refunds"
where missing_report_line_amount is null



  
  
      
    ) dbt_internal_test