
    
    



select seller_product_name_id
from "acorn"."seeds"."seller_product_names"
where seller_product_name_id is null


