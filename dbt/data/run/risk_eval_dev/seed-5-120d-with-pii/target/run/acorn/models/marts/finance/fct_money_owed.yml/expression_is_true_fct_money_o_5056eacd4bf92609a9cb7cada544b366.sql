
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from "acorn"."marts"."fct_money_owed"
    where not coalesce((deadline_date is null or deadline_date >= eligible_from_date), false)

  
  
      
    ) dbt_internal_test