
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select financial_event_group_id
from "acorn"."staging"."stg_spapi__financial_event_groups"
where financial_event_group_id is null



  
  
      
    ) dbt_internal_test