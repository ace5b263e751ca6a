
    
    

select
    reimbursement_line_id as unique_field,
    count(*) as n_records

from (select * from "acorn"."staging"."stg_spapi__reimbursements" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__reimbursements")) dbt_subquery
where reimbursement_line_id is not null
group by reimbursement_line_id
having count(*) > 1


