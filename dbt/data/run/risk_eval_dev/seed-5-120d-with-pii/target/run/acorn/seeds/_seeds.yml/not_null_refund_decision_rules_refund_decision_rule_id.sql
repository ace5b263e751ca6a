
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select refund_decision_rule_id
from "acorn"."seeds"."refund_decision_rules"
where refund_decision_rule_id is null



  
  
      
    ) dbt_internal_test