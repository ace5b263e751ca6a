
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select seller_product_name
from "acorn"."seeds"."seller_product_names"
where seller_product_name is null



  
  
      
    ) dbt_internal_test