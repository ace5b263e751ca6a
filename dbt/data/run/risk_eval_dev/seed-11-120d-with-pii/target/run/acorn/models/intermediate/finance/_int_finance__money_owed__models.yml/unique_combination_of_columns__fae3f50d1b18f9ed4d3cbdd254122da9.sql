
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        seller_id, marketplace_id, order_id, sku,
        count(*) as row_count
    from "acorn"."intermediate"."int_order_lines_valued_for_reimbursement"
    group by seller_id, marketplace_id, order_id, sku
    having count(*) > 1

  
  
      
    ) dbt_internal_test