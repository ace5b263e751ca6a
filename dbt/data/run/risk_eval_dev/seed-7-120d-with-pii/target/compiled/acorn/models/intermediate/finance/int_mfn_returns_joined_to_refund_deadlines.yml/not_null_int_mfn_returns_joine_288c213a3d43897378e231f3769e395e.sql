
    
    



select due_local_date
from (select * from "acorn"."intermediate"."int_mfn_returns_joined_to_refund_deadlines" where return_received_at is not null) dbt_subquery
where due_local_date is null


