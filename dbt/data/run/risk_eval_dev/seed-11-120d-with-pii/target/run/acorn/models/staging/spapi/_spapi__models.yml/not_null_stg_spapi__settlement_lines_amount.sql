
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select amount
from (select * from "acorn"."staging"."stg_spapi__settlement_lines" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__settlement_lines")) dbt_subquery
where amount is null



  
  
      
    ) dbt_internal_test