
    
    

select
    refund_item_id as unique_field,
    count(*) as n_records

from "acorn"."intermediate"."int_refund_items_joined_to_fee_policy"
where refund_item_id is not null
group by refund_item_id
having count(*) > 1


