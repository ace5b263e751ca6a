
    
    

with child as (
    select transaction_id as from_field
    from (select * from "acorn"."staging"."stg_spapi__transaction_breakdowns" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__transaction_breakdowns")) dbt_subquery
    where transaction_id is not null
),

parent as (
    select transaction_id as to_field
    from "acorn"."staging"."stg_spapi__transactions"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null


