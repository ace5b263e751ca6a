
    select *
    from "acorn"."intermediate"."int_return_risk_features"
    where not coalesce((refund_amount >= 0 and address_buyer_keys >= 1 and (address_key is not null or (address_returns_365d = 0 and address_buyers_with_returns = 0))), false)
