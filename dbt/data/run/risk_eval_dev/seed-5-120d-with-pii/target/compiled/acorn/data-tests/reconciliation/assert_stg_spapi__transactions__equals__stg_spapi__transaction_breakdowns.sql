
with

transactions as (
    select * from "acorn"."staging"."stg_spapi__transactions"
    where
        transaction_type in (select transaction_type from "acorn"."seeds"."transaction_types")
        and _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__transactions")
),

breakdowns_aggregated as (
    select
        transaction_id,
        sum(amount) as breakdowns_total_amount
    from "acorn"."staging"."stg_spapi__transaction_breakdowns"
    where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__transaction_breakdowns")
    group by 1
)

select
    transactions.transaction_id,
    transactions.currency_code,
    transactions.total_amount,
    breakdowns_aggregated.breakdowns_total_amount
from transactions
left join breakdowns_aggregated
    on transactions.transaction_id = breakdowns_aggregated.transaction_id
where breakdowns_aggregated.breakdowns_total_amount is distinct from transactions.total_amount