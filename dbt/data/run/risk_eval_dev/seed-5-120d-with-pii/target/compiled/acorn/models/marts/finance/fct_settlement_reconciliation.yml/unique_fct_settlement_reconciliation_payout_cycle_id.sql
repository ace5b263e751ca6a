
    
    

select
    payout_cycle_id as unique_field,
    count(*) as n_records

from "acorn"."marts"."fct_settlement_reconciliation"
where payout_cycle_id is not null
group by payout_cycle_id
having count(*) > 1


