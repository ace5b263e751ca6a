
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select return_id
from "acorn"."intermediate"."int_mfn_returns_joined_to_refund_deadlines"
where return_id is null



  
  
      
    ) dbt_internal_test