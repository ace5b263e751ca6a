
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select marketplace_code
from "acorn"."seeds"."refund_decision_rules"
where marketplace_code is null



  
  
      
    ) dbt_internal_test