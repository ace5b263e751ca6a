
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    order_line_id as unique_field,
    count(*) as n_records

from (select * from "acorn"."staging"."stg_spapi__order_items" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__order_items")) dbt_subquery
where order_line_id is not null
group by order_line_id
having count(*) > 1



  
  
      
    ) dbt_internal_test