
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
with

policy_rules as (
    select * from "acorn"."seeds"."policy_rules"
)

select
    earlier.policy_rule_id,
    later.policy_rule_id as overlapping_policy_rule_id
from policy_rules as earlier
inner join policy_rules as later
    on earlier.marketplace_code = later.marketplace_code
    and earlier.rule_name = later.rule_name
    and earlier.policy_rule_id < later.policy_rule_id
    and earlier.effective_from <= coalesce(later.effective_to, cast('9999-12-31' as date))
    and later.effective_from <= coalesce(earlier.effective_to, cast('9999-12-31' as date))
  
  
      
    ) dbt_internal_test