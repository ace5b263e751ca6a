
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select policy_clause
from "acorn"."marts"."fct_refund_decisions"
where policy_clause is null



  
  
      
    ) dbt_internal_test