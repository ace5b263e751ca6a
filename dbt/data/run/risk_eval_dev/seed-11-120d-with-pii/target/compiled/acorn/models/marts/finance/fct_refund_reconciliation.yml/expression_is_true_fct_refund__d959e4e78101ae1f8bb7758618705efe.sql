
    select *
    from "acorn"."marts"."fct_refund_reconciliation"
    where not coalesce((reconciliation_status not in ('matched', 'amount_mismatch') or settled_amount is not null), false)
