
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    financial_event_group_id as unique_field,
    count(*) as n_records

from "acorn"."staging"."stg_spapi__financial_event_groups"
where financial_event_group_id is not null
group by financial_event_group_id
having count(*) > 1



  
  
      
    ) dbt_internal_test