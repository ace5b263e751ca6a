
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select tax_rate_id
from "acorn"."seeds"."tax_rates"
where tax_rate_id is null



  
  
      
    ) dbt_internal_test