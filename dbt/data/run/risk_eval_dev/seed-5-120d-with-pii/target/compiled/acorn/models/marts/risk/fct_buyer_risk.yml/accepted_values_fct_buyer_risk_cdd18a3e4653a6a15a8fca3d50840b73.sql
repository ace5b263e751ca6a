
    
    

with all_values as (

    select
        buyer_key_kind as value_field,
        count(*) as n_records

    from "acorn"."marts"."fct_buyer_risk"
    group by buyer_key_kind

)

select *
from all_values
where value_field not in (
    'buyer_email','postal_area','order'
)


