
    select *
    from "acorn"."marts"."fct_settlement_reconciliation"
    where not coalesce(((settlement_id is null) = (reported_total_amount is null)), false)
