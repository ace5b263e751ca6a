
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    settlement_transaction_type as unique_field,
    count(*) as n_records

from "acorn"."seeds"."transaction_types"
where settlement_transaction_type is not null
group by settlement_transaction_type
having count(*) > 1



  
  
      
    ) dbt_internal_test