
    
    

with child as (
    select currency_code as from_field
    from (select * from "acorn"."staging"."stg_spapi__transactions" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__transactions")) dbt_subquery
    where currency_code is not null
),

parent as (
    select currency_code as to_field
    from "acorn"."seeds"."currency_minor_units"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null


