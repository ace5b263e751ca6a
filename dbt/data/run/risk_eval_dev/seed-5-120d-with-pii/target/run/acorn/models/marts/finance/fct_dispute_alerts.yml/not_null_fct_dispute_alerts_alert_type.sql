
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select alert_type
from "acorn"."marts"."fct_dispute_alerts"
where alert_type is null



  
  
      
    ) dbt_internal_test