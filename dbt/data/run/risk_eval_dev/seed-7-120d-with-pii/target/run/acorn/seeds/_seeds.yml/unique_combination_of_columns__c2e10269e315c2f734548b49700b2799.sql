
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        from_currency_code, to_currency_code, valid_from,
        count(*) as row_count
    from "acorn"."seeds"."fx_rates"
    group by from_currency_code, to_currency_code, valid_from
    having count(*) > 1

  
  
      
    ) dbt_internal_test