
    select *
    from "acorn"."intermediate"."int_buyer_risk_features"
    where not coalesce((returns_30d <= returns_90d and returns_90d <= returns_365d and returns_365d <= return_count), false)
