
    
    



select sku
from "acorn"."seeds"."seller_product_names"
where sku is null


