
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    payout_cycle_id as unique_field,
    count(*) as n_records

from "acorn"."intermediate"."int_settlements_joined_to_financial_event_groups"
where payout_cycle_id is not null
group by payout_cycle_id
having count(*) > 1



  
  
      
    ) dbt_internal_test