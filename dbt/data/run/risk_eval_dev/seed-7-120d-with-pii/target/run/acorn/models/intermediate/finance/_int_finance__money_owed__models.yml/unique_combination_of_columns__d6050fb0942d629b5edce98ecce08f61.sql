
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        seller_id, marketplace_id, order_id, sku,
        count(*) as row_count
    from "acorn"."intermediate"."int_returns_and_reimbursements_aggregated_to_order_lines"
    group by seller_id, marketplace_id, order_id, sku
    having count(*) > 1

  
  
      
    ) dbt_internal_test