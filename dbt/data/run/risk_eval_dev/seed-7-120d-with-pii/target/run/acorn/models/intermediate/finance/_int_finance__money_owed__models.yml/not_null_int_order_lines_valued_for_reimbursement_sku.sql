
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select sku
from "acorn"."intermediate"."int_order_lines_valued_for_reimbursement"
where sku is null



  
  
      
    ) dbt_internal_test