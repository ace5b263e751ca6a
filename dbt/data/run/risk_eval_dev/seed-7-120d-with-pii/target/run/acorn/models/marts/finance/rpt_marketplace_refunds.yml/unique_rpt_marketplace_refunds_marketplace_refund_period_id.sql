
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    marketplace_refund_period_id as unique_field,
    count(*) as n_records

from "acorn"."marts"."rpt_marketplace_refunds"
where marketplace_refund_period_id is not null
group by marketplace_refund_period_id
having count(*) > 1



  
  
      
    ) dbt_internal_test