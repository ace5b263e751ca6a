
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        marketplace_code, product_category, effective_from,
        count(*) as row_count
    from "acorn"."seeds"."refund_decision_rules"
    group by marketplace_code, product_category, effective_from
    having count(*) > 1

  
  
      
    ) dbt_internal_test