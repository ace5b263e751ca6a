
    
    

with child as (
    select marketplace_id as from_field
    from "acorn"."marts"."fct_money_owed"
    where marketplace_id is not null
),

parent as (
    select marketplace_id as to_field
    from "acorn"."seeds"."marketplaces"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null


