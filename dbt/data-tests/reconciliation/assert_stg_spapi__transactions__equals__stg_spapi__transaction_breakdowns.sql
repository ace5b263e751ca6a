{# The flattened breakdowns of each shipment or buyer refund add up to its total: nothing
   in payload_json is lost or double-counted by the JSON flattening. Both tables are
   incremental and written together per transaction: the transactions (and breakdowns)
   their latest build wrote are checked (macros/tests_on_written_rows.sql). #}
with

transactions as (
    select * from {{ ref('stg_spapi__transactions') }}
    where
        transaction_type in (select transaction_type from {{ ref('transaction_types') }})
        and {{ written_by_latest_build(ref('stg_spapi__transactions')) }}
),

breakdowns_aggregated as (
    select
        transaction_id,
        sum(amount) as breakdowns_total_amount
    from {{ ref('stg_spapi__transaction_breakdowns') }}
    where {{ written_by_latest_build(ref('stg_spapi__transaction_breakdowns')) }}
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
