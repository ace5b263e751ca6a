
    select
        marketplace_code, product_category, effective_from,
        count(*) as row_count
    from "acorn"."seeds"."refund_decision_rules"
    group by marketplace_code, product_category, effective_from
    having count(*) > 1
