
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with child as (
    select tax_regime as from_field
    from "acorn"."seeds"."marketplaces"
    where tax_regime is not null
),

parent as (
    select tax_regime as to_field
    from "acorn"."seeds"."tax_document_regimes"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null



  
  
      
    ) dbt_internal_test