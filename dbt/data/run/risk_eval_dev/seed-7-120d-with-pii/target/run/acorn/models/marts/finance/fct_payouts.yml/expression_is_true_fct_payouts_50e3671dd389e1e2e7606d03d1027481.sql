
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from "acorn"."marts"."fct_payouts"
    where not coalesce(((settlement_id is null) = (report_total_amount is null)), false)

  
  
      
    ) dbt_internal_test