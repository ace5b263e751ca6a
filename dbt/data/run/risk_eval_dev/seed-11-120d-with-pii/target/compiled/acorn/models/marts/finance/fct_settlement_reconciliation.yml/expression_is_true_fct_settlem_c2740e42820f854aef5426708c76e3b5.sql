
    select *
    from "acorn"."marts"."fct_settlement_reconciliation"
    where not coalesce((settlement_id is not null or financial_event_group_id is not null), false)
