
    select
        seller_id, marketplace_id, order_id, sku,
        count(*) as row_count
    from "acorn"."intermediate"."int_returns_and_reimbursements_aggregated_to_order_lines"
    group by seller_id, marketplace_id, order_id, sku
    having count(*) > 1
