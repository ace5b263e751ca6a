
    
    

select
    seller_sku_category_id as unique_field,
    count(*) as n_records

from "acorn"."seeds"."seller_sku_categories"
where seller_sku_category_id is not null
group by seller_sku_category_id
having count(*) > 1


