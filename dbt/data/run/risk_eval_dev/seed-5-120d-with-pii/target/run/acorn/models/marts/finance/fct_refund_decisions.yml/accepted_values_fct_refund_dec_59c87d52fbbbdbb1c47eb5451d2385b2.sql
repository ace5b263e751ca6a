
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        decision_rule as value_field,
        count(*) as n_records

    from "acorn"."marts"."fct_refund_decisions"
    group by decision_rule

)

select *
from all_values
where value_field not in (
    'buyer_risk_score_high','a_to_z_claim','not_in_policy','outside_policy_window','no_auto_approve_rule','value_unknown','over_auto_approve_threshold','under_auto_approve_threshold'
)



  
  
      
    ) dbt_internal_test