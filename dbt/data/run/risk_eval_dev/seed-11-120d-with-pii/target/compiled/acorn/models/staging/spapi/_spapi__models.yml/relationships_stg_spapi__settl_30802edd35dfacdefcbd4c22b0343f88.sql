
    
    

with child as (
    select settlement_id as from_field
    from (select * from "acorn"."staging"."stg_spapi__settlement_lines" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__settlement_lines")) dbt_subquery
    where settlement_id is not null
),

parent as (
    select settlement_id as to_field
    from "acorn"."staging"."stg_spapi__settlements"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null


