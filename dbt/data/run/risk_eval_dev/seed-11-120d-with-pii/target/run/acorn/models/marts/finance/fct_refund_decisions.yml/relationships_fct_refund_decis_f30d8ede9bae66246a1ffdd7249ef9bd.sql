
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with child as (
    select refund_decision_rule_id as from_field
    from "acorn"."marts"."fct_refund_decisions"
    where refund_decision_rule_id is not null
),

parent as (
    select refund_decision_rule_id as to_field
    from "acorn"."seeds"."refund_decision_rules"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null



  
  
      
    ) dbt_internal_test