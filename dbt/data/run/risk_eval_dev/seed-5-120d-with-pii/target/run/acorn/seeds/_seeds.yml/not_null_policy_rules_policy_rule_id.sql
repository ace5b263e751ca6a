
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select policy_rule_id
from "acorn"."seeds"."policy_rules"
where policy_rule_id is null



  
  
      
    ) dbt_internal_test