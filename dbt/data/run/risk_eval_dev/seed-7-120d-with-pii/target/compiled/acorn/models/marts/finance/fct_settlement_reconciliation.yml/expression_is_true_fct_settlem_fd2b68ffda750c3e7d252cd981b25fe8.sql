
    select *
    from "acorn"."marts"."fct_settlement_reconciliation"
    where not coalesce((is_report_missing = (reconciliation_status = 'report_missing')), false)
