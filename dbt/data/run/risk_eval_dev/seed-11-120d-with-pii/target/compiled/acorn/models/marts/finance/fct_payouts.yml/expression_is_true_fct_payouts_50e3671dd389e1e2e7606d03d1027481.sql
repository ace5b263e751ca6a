
    select *
    from "acorn"."marts"."fct_payouts"
    where not coalesce(((settlement_id is null) = (report_total_amount is null)), false)
