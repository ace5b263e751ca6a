
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    return_fault_rule_id as unique_field,
    count(*) as n_records

from "acorn"."seeds"."return_fault_rules"
where return_fault_rule_id is not null
group by return_fault_rule_id
having count(*) > 1



  
  
      
    ) dbt_internal_test