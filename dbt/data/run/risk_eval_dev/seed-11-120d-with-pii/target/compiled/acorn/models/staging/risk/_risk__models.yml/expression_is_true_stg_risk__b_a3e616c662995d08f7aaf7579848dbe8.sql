
    select *
    from "acorn"."staging"."stg_risk__buyer_risk_scores"
    where not coalesce((risk_score between 0 and 1 and coalesce(rules_score between 0 and 1, true) and coalesce(model_score between 0 and 1, true)), false)
