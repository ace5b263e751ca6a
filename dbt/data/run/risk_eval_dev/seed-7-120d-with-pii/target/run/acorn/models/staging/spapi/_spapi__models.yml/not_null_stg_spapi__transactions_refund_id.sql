
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select refund_id
from (select * from "acorn"."staging"."stg_spapi__transactions" where is_buyer_refund and _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__transactions")) dbt_subquery
where refund_id is null



  
  
      
    ) dbt_internal_test