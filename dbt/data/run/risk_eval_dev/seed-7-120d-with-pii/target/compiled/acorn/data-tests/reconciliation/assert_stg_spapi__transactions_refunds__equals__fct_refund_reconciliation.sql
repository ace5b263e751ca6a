
with

staged as (
    select
        currency_code,
        count(*) as refund_count,
        sum(total_amount) as total_amount
    from "acorn"."staging"."stg_spapi__transactions"
    where is_buyer_refund
    group by 1
),

mart as (
    select
        currency_code,
        count(distinct transaction_id) as refund_count,
        sum(net_amount) as total_amount
    from "acorn"."marts"."fct_refund_reconciliation"
    group by 1
),

compared as (
    select
        coalesce(staged.currency_code, mart.currency_code) as currency_code,
        staged.refund_count as staged_refund_count,
        mart.refund_count as mart_refund_count,
        staged.total_amount as staged_total_amount,
        mart.total_amount as mart_total_amount
    from staged
    full outer join mart
        on staged.currency_code = mart.currency_code
)

select * from compared
where staged_refund_count is distinct from mart_refund_count
    or staged_total_amount is distinct from mart_total_amount