
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select refund_line_id
from "acorn"."intermediate"."int_refund_lines_joined_to_settlement_lines"
where refund_line_id is null



  
  
      
    ) dbt_internal_test