
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        seller_id, sku,
        count(*) as row_count
    from "acorn"."seeds"."seller_sku_categories"
    group by seller_id, sku
    having count(*) > 1

  
  
      
    ) dbt_internal_test