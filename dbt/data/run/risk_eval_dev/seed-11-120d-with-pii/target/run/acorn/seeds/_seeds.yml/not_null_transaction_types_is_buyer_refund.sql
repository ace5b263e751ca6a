
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_buyer_refund
from "acorn"."seeds"."transaction_types"
where is_buyer_refund is null



  
  
      
    ) dbt_internal_test