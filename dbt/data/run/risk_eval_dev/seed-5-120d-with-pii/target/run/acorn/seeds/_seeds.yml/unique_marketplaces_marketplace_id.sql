
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    marketplace_id as unique_field,
    count(*) as n_records

from "acorn"."seeds"."marketplaces"
where marketplace_id is not null
group by marketplace_id
having count(*) > 1



  
  
      
    ) dbt_internal_test