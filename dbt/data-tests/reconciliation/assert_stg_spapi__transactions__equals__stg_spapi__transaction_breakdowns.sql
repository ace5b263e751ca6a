{# The flattened breakdowns of each shipment or buyer refund add up to its total: nothing
   in payload_json is lost or double-counted by the JSON flattening. #}
with

transactions as (
    select * from {{ ref('stg_spapi__transactions') }}
    where transaction_type in ('Shipment', 'Refund', 'GuaranteeClaim', 'Chargeback')
),

breakdowns_aggregated as (
    select
        transaction_id,
        sum(amount) as breakdowns_total_amount
    from {{ ref('stg_spapi__transaction_breakdowns') }}
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
