
    
    



select refund_item_id
from "acorn"."intermediate"."int_refund_items_joined_to_fee_policy"
where refund_item_id is null


