
    select
        seller_id, sku,
        count(*) as row_count
    from "acorn"."seeds"."seller_sku_categories"
    group by seller_id, sku
    having count(*) > 1
