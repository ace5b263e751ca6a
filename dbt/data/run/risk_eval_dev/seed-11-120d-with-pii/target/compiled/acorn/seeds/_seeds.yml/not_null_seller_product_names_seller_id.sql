
    
    



select seller_id
from "acorn"."seeds"."seller_product_names"
where seller_id is null


