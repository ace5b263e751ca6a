
    
    

with all_values as (

    select
        reconciliation_status as value_field,
        count(*) as n_records

    from "acorn"."marts"."fct_settlement_reconciliation"
    group by reconciliation_status

)

select *
from all_values
where value_field not in (
    'balanced','lines_mismatch','transfer_mismatch','open','awaiting_transfer','report_missing'
)


