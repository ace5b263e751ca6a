
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    tax_rate_id as unique_field,
    count(*) as n_records

from "acorn"."seeds"."tax_rates"
where tax_rate_id is not null
group by tax_rate_id
having count(*) > 1



  
  
      
    ) dbt_internal_test