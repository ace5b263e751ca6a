
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select refund_amount
from "acorn"."marts"."fct_return_risk_scores"
where refund_amount is null



  
  
      
    ) dbt_internal_test