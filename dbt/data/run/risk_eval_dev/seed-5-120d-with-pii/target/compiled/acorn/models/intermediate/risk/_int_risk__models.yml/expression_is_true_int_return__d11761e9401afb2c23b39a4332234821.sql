
    select *
    from "acorn"."intermediate"."int_return_risk_features"
    where not coalesce((sku_return_rate > 0 and sku_return_rate <= 1 and marketplace_return_rate > 0 and marketplace_return_rate <= 1), false)
