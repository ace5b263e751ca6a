
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select rule_value
from "acorn"."seeds"."policy_rules"
where rule_value is null



  
  
      
    ) dbt_internal_test