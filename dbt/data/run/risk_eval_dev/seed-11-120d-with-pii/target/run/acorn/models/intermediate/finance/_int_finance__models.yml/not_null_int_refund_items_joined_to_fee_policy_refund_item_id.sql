
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select refund_item_id
from "acorn"."intermediate"."int_refund_items_joined_to_fee_policy"
where refund_item_id is null



  
  
      
    ) dbt_internal_test