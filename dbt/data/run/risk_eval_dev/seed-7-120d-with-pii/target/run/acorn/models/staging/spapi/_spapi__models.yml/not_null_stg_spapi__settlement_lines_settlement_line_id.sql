
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select settlement_line_id
from (select * from "acorn"."staging"."stg_spapi__settlement_lines" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__settlement_lines")) dbt_subquery
where settlement_line_id is null



  
  
      
    ) dbt_internal_test