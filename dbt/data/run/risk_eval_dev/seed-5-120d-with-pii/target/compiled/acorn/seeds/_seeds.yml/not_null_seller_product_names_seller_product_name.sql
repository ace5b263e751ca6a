
    
    



select seller_product_name
from "acorn"."seeds"."seller_product_names"
where seller_product_name is null


