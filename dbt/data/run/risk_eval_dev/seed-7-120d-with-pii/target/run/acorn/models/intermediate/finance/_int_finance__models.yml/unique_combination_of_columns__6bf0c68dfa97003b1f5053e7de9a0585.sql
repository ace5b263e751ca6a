
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        seller_id, order_id,
        count(*) as row_count
    from "acorn"."intermediate"."int_buyer_risk_scores"
    group by seller_id, order_id
    having count(*) > 1

  
  
      
    ) dbt_internal_test