
    select
        seller_id, order_id,
        count(*) as row_count
    from "acorn"."intermediate"."int_buyer_risk_scores"
    group by seller_id, order_id
    having count(*) > 1
