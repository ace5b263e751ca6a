
    select *
    from "acorn"."marts"."fct_refund_decisions"
    where not coalesce(((decision = 'auto_approve') = (decision_rule = 'under_auto_approve_threshold')), false)
