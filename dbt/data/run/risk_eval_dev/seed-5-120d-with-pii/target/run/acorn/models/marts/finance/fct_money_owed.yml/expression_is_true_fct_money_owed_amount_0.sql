
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from "acorn"."marts"."fct_money_owed"
    where not coalesce((amount > 0), false)

  
  
      
    ) dbt_internal_test