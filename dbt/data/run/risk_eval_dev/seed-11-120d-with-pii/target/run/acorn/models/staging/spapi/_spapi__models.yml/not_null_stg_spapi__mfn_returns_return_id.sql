
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select return_id
from (select * from "acorn"."staging"."stg_spapi__mfn_returns" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__mfn_returns")) dbt_subquery
where return_id is null



  
  
      
    ) dbt_internal_test