
    
    

select
    transaction_id as unique_field,
    count(*) as n_records

from (select * from "acorn"."intermediate"."int_transactions_joined_to_settlement_lines" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."intermediate"."int_transactions_joined_to_settlement_lines")) dbt_subquery
where transaction_id is not null
group by transaction_id
having count(*) > 1


