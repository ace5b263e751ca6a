
    
    

select
    amazon_rma_id as unique_field,
    count(*) as n_records

from "acorn"."seeds"."seller_return_qc_notes"
where amazon_rma_id is not null
group by amazon_rma_id
having count(*) > 1


