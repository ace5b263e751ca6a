
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        code_type, code,
        count(*) as row_count
    from "acorn"."seeds"."return_fault_rules"
    group by code_type, code
    having count(*) > 1

  
  
      
    ) dbt_internal_test