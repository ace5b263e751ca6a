
    select *
    from "acorn"."marts"."fct_payouts"
    where not coalesce((report_missing = (reconciliation_status = 'report_missing')), false)
