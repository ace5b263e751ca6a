
    select
        seller_id, marketplace_id, order_id, sku,
        count(*) as row_count
    from "acorn"."intermediate"."int_order_lines_valued_for_reimbursement"
    group by seller_id, marketplace_id, order_id, sku
    having count(*) > 1
