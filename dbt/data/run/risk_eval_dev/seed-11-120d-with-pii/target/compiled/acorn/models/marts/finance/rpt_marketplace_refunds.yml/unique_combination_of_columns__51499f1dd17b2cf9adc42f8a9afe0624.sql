
    select
        seller_id, marketplace_id, settlement_id,
        count(*) as row_count
    from "acorn"."marts"."rpt_marketplace_refunds"
    group by seller_id, marketplace_id, settlement_id
    having count(*) > 1
