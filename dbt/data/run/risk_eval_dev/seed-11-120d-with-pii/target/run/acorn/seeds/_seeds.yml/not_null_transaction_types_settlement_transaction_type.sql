
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select settlement_transaction_type
from "acorn"."seeds"."transaction_types"
where settlement_transaction_type is null



  
  
      
    ) dbt_internal_test