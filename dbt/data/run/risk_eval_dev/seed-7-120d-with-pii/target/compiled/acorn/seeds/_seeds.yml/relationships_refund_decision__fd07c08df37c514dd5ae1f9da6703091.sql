
    
    

with child as (
    select marketplace_code as from_field
    from "acorn"."seeds"."refund_decision_rules"
    where marketplace_code is not null
),

parent as (
    select marketplace_code as to_field
    from "acorn"."seeds"."marketplaces"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null


