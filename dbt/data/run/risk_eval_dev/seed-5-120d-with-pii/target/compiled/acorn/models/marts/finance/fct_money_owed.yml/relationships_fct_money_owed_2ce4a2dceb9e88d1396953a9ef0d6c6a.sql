
    
    

with child as (
    select claim_type as from_field
    from "acorn"."marts"."fct_money_owed"
    where claim_type is not null
),

parent as (
    select claim_type as to_field
    from "acorn"."seeds"."claim_types"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null


