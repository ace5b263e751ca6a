
    select *
    from "acorn"."marts"."fct_buyer_risk"
    where not coalesce(((risk_score is null) = (risk_band is null) and returns_90d <= returns_365d and returns_365d <= return_count), false)
