
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        settlement_count as value_field,
        count(*) as n_records

    from (select * from "acorn"."intermediate"."int_transactions_joined_to_settlement_lines" where settlement_count is not null and _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."intermediate"."int_transactions_joined_to_settlement_lines")) dbt_subquery
    group by settlement_count

)

select *
from all_values
where value_field not in (
    '1'
)



  
  
      
    ) dbt_internal_test