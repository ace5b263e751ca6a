
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select total_amount
from (select * from "acorn"."staging"."stg_spapi__transactions" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__transactions")) dbt_subquery
where total_amount is null



  
  
      
    ) dbt_internal_test