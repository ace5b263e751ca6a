
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    claim_type as unique_field,
    count(*) as n_records

from "acorn"."seeds"."claim_types"
where claim_type is not null
group by claim_type
having count(*) > 1



  
  
      
    ) dbt_internal_test