
    
    

with all_values as (

    select
        transaction_type as value_field,
        count(*) as n_records

    from (select * from "acorn"."marts"."fct_transaction_settlement_reconciliation" where _warehouse_loaded_at = (select max(_warehouse_loaded_at) from "acorn"."marts"."fct_transaction_settlement_reconciliation")) dbt_subquery
    group by transaction_type

)

select *
from all_values
where value_field not in (
    'Shipment','Refund','Chargeback','GuaranteeClaim'
)


