
    select *
    from "acorn"."intermediate"."int_return_risk_features"
    where not coalesce((buyer_returns_30d <= buyer_returns_90d and buyer_returns_90d <= buyer_returns_365d and buyer_returns_30d >= 1), false)
