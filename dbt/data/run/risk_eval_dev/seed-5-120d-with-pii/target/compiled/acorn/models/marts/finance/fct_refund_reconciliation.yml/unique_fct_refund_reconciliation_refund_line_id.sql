
    
    

select
    refund_line_id as unique_field,
    count(*) as n_records

from "acorn"."marts"."fct_refund_reconciliation"
where refund_line_id is not null
group by refund_line_id
having count(*) > 1


