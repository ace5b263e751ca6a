
    
    



select reimbursement_line_id
from (select * from "acorn"."staging"."stg_spapi__reimbursements" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."staging"."stg_spapi__reimbursements")) dbt_subquery
where reimbursement_line_id is null


