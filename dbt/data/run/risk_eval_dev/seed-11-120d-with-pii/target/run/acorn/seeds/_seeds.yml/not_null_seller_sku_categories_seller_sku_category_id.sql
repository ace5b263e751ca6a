
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select seller_sku_category_id
from "acorn"."seeds"."seller_sku_categories"
where seller_sku_category_id is null



  
  
      
    ) dbt_internal_test