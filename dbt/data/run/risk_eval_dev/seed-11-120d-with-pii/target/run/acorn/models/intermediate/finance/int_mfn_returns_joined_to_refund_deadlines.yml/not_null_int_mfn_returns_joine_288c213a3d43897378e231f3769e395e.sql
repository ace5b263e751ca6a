
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select due_local_date
from (select * from "acorn"."intermediate"."int_mfn_returns_joined_to_refund_deadlines" where return_received_at is not null) dbt_subquery
where due_local_date is null



  
  
      
    ) dbt_internal_test