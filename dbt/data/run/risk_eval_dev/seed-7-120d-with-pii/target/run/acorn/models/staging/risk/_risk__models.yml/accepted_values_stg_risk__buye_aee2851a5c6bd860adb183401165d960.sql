
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        reason_code_3 as value_field,
        count(*) as n_records

    from "acorn"."staging"."stg_risk__buyer_risk_scores"
    group by reason_code_3

)

select *
from all_values
where value_field not in (
    'empty_or_wrong_item','used_and_late_in_window','late_in_window','reason_contradicts_condition','refund_without_return','repeated_returnless_refunds','many_returns_90d','high_return_rate','return_rate_above_sku_norm','shared_address_many_buyers','address_many_returns','high_refund_value_share','model_pattern','area_return_rate_high'
)



  
  
      
    ) dbt_internal_test