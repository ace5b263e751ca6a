
    

    create  table
      "acorn"."intermediate"."int_financial_event_groups_fx_applied__dbt_tmp"
  
    
    as (
      with

financial_event_groups as (
    select * from "acorn"."staging"."stg_spapi__financial_event_groups"
),

applied as (
    select
        financial_event_group_id,
        converted_currency_code as reporting_currency_code,
        cast(
            cast(converted_total_amount as decimal(38, 12)) / original_total_amount
            as decimal(20, 8)
        ) as applied_fx_rate
    from financial_event_groups
    where
        converted_currency_code = 'CNY'
        and original_total_amount <> 0
        and converted_total_amount is not null
)

select * from applied
    );
    
  