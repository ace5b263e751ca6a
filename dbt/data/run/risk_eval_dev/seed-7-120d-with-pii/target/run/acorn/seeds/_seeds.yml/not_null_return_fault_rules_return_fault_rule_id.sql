
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select return_fault_rule_id
from "acorn"."seeds"."return_fault_rules"
where return_fault_rule_id is null



  
  
      
    ) dbt_internal_test