
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select marketplace_id
from "acorn"."marts"."fct_money_owed"
where marketplace_id is null



  
  
      
    ) dbt_internal_test