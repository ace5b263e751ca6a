
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select max_auto_approve_amount
from "acorn"."seeds"."refund_decision_rules"
where max_auto_approve_amount is null



  
  
      
    ) dbt_internal_test