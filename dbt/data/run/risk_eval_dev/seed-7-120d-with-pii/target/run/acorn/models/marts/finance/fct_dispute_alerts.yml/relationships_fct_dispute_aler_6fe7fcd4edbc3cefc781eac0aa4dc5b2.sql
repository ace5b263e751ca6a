
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with child as (
    select return_id as from_field
    from "acorn"."marts"."fct_dispute_alerts"
    where return_id is not null
),

parent as (
    select return_id as to_field
    from "acorn"."staging"."stg_spapi__mfn_returns"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null



  
  
      
    ) dbt_internal_test