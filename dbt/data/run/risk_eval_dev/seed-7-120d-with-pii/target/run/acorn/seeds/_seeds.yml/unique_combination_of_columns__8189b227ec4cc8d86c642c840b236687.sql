
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        marketplace_code, holiday_date,
        count(*) as row_count
    from "acorn"."seeds"."marketplace_public_holidays"
    group by marketplace_code, holiday_date
    having count(*) > 1

  
  
      
    ) dbt_internal_test