
    
    

select
    seller_product_name_id as unique_field,
    count(*) as n_records

from "acorn"."seeds"."seller_product_names"
where seller_product_name_id is not null
group by seller_product_name_id
having count(*) > 1


