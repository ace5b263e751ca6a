
    select *
    from "acorn"."marts"."fct_refund_reconciliation"
    where not coalesce((unclassified_amount = 0), false)
