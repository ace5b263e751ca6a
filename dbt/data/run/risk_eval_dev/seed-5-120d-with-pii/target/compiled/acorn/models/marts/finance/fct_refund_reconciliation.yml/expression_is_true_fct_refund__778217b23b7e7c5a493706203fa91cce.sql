
    select *
    from "acorn"."marts"."fct_refund_reconciliation"
    where not coalesce((reconciliation_status <> 'matched' or settlement_difference_amount = 0), false)
