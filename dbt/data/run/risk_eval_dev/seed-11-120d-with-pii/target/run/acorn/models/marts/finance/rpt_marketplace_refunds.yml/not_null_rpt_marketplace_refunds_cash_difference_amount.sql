
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select cash_difference_amount
from "acorn"."marts"."rpt_marketplace_refunds"
where cash_difference_amount is null



  
  
      
    ) dbt_internal_test