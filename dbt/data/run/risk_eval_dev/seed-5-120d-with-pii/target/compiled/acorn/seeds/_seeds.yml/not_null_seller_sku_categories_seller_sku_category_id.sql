
    
    



select seller_sku_category_id
from "acorn"."seeds"."seller_sku_categories"
where seller_sku_category_id is null


