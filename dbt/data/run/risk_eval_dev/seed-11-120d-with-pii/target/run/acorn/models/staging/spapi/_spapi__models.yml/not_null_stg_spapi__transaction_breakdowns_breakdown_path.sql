
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select breakdown_path
from (select * from "acorn"."staging"."stg_spapi__transaction_breakdowns" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__transaction_breakdowns")) dbt_subquery
where breakdown_path is null



  
  
      
    ) dbt_internal_test