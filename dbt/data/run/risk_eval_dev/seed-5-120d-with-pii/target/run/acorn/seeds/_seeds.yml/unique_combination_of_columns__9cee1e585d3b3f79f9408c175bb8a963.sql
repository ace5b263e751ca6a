
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        marketplace_code, iso_weekday,
        count(*) as row_count
    from "acorn"."seeds"."marketplace_weekend_days"
    group by marketplace_code, iso_weekday
    having count(*) > 1

  
  
      
    ) dbt_internal_test