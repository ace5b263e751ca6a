
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select amount_currency_code
from "acorn"."seeds"."refund_decision_rules"
where amount_currency_code is null



  
  
      
    ) dbt_internal_test