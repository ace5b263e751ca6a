
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    refund_line_id as unique_field,
    count(*) as n_records

from "acorn"."intermediate"."int_refunds_joined_to_charges"
where refund_line_id is not null
group by refund_line_id
having count(*) > 1



  
  
      
    ) dbt_internal_test