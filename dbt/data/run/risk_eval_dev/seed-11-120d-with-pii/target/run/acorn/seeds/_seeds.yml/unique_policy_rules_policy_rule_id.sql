
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    policy_rule_id as unique_field,
    count(*) as n_records

from "acorn"."seeds"."policy_rules"
where policy_rule_id is not null
group by policy_rule_id
having count(*) > 1



  
  
      
    ) dbt_internal_test