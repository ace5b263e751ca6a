
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select claims_item_fault
from "acorn"."seeds"."return_fault_rules"
where claims_item_fault is null



  
  
      
    ) dbt_internal_test